/**
 * Small scenarios whose dfs trees can be counted by hand, and a dfs campaign over them.
 */
import { runCampaignHere } from '../../src/explore/campaign.js';
import { DEFAULT_PARAMS, type CampaignSpec } from '../../src/explore/spec.js';
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { ackIrq, testDevice } from './devices.js';

const IRQ = 3;

/**
 * One VM that only computes: each client step has exactly one preemption point (before it), at
 * which the one IRQ source may assert; its Hw_Int_Proc runs with interrupts disabled and makes
 * no new points. With S steps and an IRQ bound B the executions are the subsets of at most B
 * of the S points.
 */
export const computing: Scenario = defineScenario({
  name: 'computing', vms: 1,
  devices: [testDevice('tick', { hwInt: (r) => ackIrq(r, IRQ) }, { irq: IRQ, entries: [] })],
  mix: { run: 1, trap: 0, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});

/**
 * One VM that only traps into a device making two service calls with interrupts enabled: each
 * step has one point between client steps and two inside ring-0 code, 3S points in all, and an
 * IRQ at a ring-0 point counts against the preemption bound P.
 */
export const trapping: Scenario = defineScenario({
  name: 'trapping', vms: 1,
  devices: [testDevice('dev', {
    hwInt: (r) => ackIrq(r, IRQ),
    work(r) {
      r.currentVm();
      r.sysVm();
    },
  }, { irq: IRQ, entries: ['work'] })],
  mix: { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});

export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}

/** The stateless search by default: these tests count its executions (the whole tree). */
export function spec(steps: number, irqBound: number, preemptionBound: number, iterations = 100_000, dfsState = { prune: false, fork: false }): CampaignSpec {
  return {
    scenarioRef: { kind: 'module', path: 'inline' }, strategy: 'dfs', seed: 1, iterations, steps,
    config: { handleMode: 'checked', latitude: false },
    params: { ...DEFAULT_PARAMS.dfs, irqBudget: irqBound, preemptionBound }, stopOn: 'any', keepGoing: false, pctK: 0, dfsState,
  };
}

export function explore(scenario: Scenario, s: CampaignSpec): { executions: number; exhausted: boolean | null; hashes: string[] } {
  const hashes: string[] = [];
  const result = runCampaignHere(scenario, s, { onExecution: (summary) => hashes.push(summary.traceHash) });
  return { executions: result.executions, exhausted: result.exhausted, hashes };
}

