/**
 * What the VM and PIC actors need of a scenario, taken from it once on the main thread and sent
 * in their setups: plain data. Only the VMM actor runs device code, so only it (and the main
 * thread) loads the scenario's modules; a run of 64 VMs would otherwise import and compile them,
 * with the validation library, in 66 threads before its first step.
 */
import type { Scenario } from '../../scenario/scenario.js';
import { irqSources } from '../sim/irqSources.js';
import { DEFAULT_MIX, entryPoints, virtualizedIrqs } from '../workload.js';
import type { ClientShape } from './protocol.js';

export function clientShapeOf(scenario: Scenario): ClientShape {
  return { entries: entryPoints(scenario.devices), mix: { ...DEFAULT_MIX, ...scenario.mix }, irqs: virtualizedIrqs(scenario.devices) };
}

/** Each IRQ source's mean interval, in the order the VMM numbers the sources. */
export function meanIntervalTicksOf(scenario: Scenario): number[] {
  return irqSources(scenario.devices).map((source) => source.meanIntervalTicks);
}
