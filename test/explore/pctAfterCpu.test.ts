/**
 * PCT on a lost wake-up (an outside audit's driver): an interrupt queues an item and schedules a
 * drain; the drain empties the queue, calls a service, then clears its `scheduled` flag. A second
 * interrupt at that call queues an item, sees the flag still set and schedules nothing: the item
 * waits for good. The source must assert, let the CPU run into the drain, and assert again:
 * depth 3 (the CPU never waits, so each change of who runs is a priority change). With the
 * change points ranked in time order the CPU, once lowered after the source, stayed above it,
 * and PCT never found this at any depth; as in the paper (the change point drawn i-th lowers its
 * actor to i), it does, at least as often as the bound the explorer prints.
 */
import { describe, expect, it } from 'vitest';
import { irqSources } from '../../src/actors/sim/irqSources.js';
import { PctStrategy } from '../../src/actors/sim/strategies/pct.js';
import { estimateChoicePoints, runExecution, strategySeed } from '../../src/explore/execution.js';
import { pctPerExecution } from '../../src/explore/confidence.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { defineDevice } from '../../src/vmm/device.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { Rng } from '../../src/shared/rng.js';

const IRQ = 5;

interface Queue { q: number; scheduled: boolean }

function lostWakeup(fixed: boolean) {
  const device = defineDevice<Queue>({
    name: 'lw',
    state: () => ({ q: 0, scheduled: false }),
    irqs: [{ irq: IRQ, hwIntProc: 'hw', meanIntervalTicks: 300 }],
    entries: ['poke'],
    procs: {
      hw(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.q++;
        if (!r.state.scheduled) {
          r.state.scheduled = true;
          r.scheduleGlobalEvent('drain', 0);
        }
      },
      drain(r) {
        if (fixed) r.state.scheduled = false;
        while (r.state.q > 0) {
          r.state.q--;
          r.currentVm();
        }
        r.currentVm();
        if (!fixed) r.state.scheduled = false;
      },
      poke(r) {
        r.currentVm();
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: 'lost-wakeup', vms: 2, devices: [device], steps: 20,
    mix: { run: 30, trap: 60, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 40 },
    invariants: [{ name: 'lostWakeup', check: (v) => { const s = v.device<Queue>('lw'); return s.q > 0 && !s.scheduled ? `${s.q} item(s) queued and no drain scheduled` : undefined; } }],
  });
}

const EXECUTIONS = 10_000;

function hitRate(fixed: boolean, depth: number): { rate: number; bound: number } {
  const scenario = lostWakeup(fixed);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 2, steps: 20 }, strategy: 'pct', seed: 1, iterations: EXECUTIONS, steps: 20, workloads: 1, params: { depth } });
  const sources = irqSources(scenario.devices);
  let hits = 0;
  for (let i = 0; i < EXECUTIONS; i++) {
    const pct = new PctStrategy(new Rng(strategySeed(spec.seed, i)), sources, { depth, k: spec.pctK, irqBudget: 8 });
    if (runExecution(scenario, spec, pct, i, 0).violation?.kind === 'lostWakeup') hits++;
  }
  return { rate: hits / EXECUTIONS, bound: pctPerExecution(1 + sources.length, estimateChoicePoints(scenario, spec), depth) };
}

describe('PCT and a source that asserts again after the CPU ran (depth 3)', () => {
  it('finds the lost wake-up at depth 3, at least as often as its printed bound; the fixed driver never', () => {
    const { rate, bound } = hitRate(false, 3);
    expect(rate).toBeGreaterThan(0);
    expect(rate).toBeGreaterThanOrEqual(bound);
    expect(hitRate(true, 3).rate).toBe(0);
  }, 120_000);
});
