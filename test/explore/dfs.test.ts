import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DfsTree } from '../../src/actors/sim/strategies/dfs.js';
import { runCampaignHere } from '../../src/explore/campaign.js';
import { DEFAULT_PARAMS, type CampaignSpec } from '../../src/explore/spec.js';
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { ackIrq, testDevice } from '../support/devices.js';

const IRQ = 3;

/**
 * One VM that only computes: each client step has exactly one preemption point (before it), at
 * which the one IRQ source may assert; its Hw_Int_Proc runs with interrupts disabled and makes
 * no new points. With S steps and an IRQ bound B the executions are the subsets of at most B
 * of the S points.
 */
const computing: Scenario = defineScenario({
  name: 'computing', vms: 1,
  devices: [testDevice('tick', { hwInt: (r) => ackIrq(r, IRQ) }, { irq: IRQ, entries: [] })],
  mix: { run: 1, trap: 0, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});

/**
 * One VM that only traps into a device making two service calls with interrupts enabled: each
 * step has one point between client steps and two inside ring-0 code, 3S points in all, and an
 * IRQ at a ring-0 point counts against the preemption bound P.
 */
const trapping: Scenario = defineScenario({
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

function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 0; i < k; i++) c = (c * (n - i)) / (i + 1);
  return Math.round(c);
}

function spec(steps: number, irqBound: number, preemptionBound: number, iterations = 100_000): CampaignSpec {
  return {
    scenarioRef: { kind: 'module', path: 'inline' }, strategy: 'dfs', seed: 1, iterations, steps,
    config: { handleMode: 'checked', latitude: false },
    params: { ...DEFAULT_PARAMS.dfs, irqBudget: irqBound, preemptionBound }, stopOn: 'any', keepGoing: false, pctK: 0,
  };
}

function explore(scenario: Scenario, s: CampaignSpec): { executions: number; exhausted: boolean | null; hashes: string[] } {
  const hashes: string[] = [];
  const result = runCampaignHere(scenario, s, { onExecution: (summary) => hashes.push(summary.traceHash) });
  return { executions: result.executions, exhausted: result.exhausted, hashes };
}

describe('dfs', () => {
  it('exhausts one source over S computing steps in sum(C(S, i), i <= B) executions, each a different run', () => {
    const run = explore(computing, spec(6, 2, 0));
    expect(run.exhausted).toBe(true);
    expect(run.executions).toBe(1 + 6 + 15);
    expect(new Set(run.hashes).size).toBe(run.executions);
  });

  it('takes every subset of points when the IRQ bound is no bound', () => {
    const run = explore(computing, spec(5, 5, 0));
    expect(run.exhausted).toBe(true);
    expect(run.executions).toBe(2 ** 5);
  });

  it('counts preemptions apart: sum over a + b <= B, b <= P of C(S, a) C(2S, b)', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), (steps, irqBound, preemptionBound) => {
      let expected = 0;
      for (let a = 0; a <= irqBound; a++) {
        for (let b = 0; b <= Math.min(preemptionBound, irqBound - a); b++) expected += binomial(steps, a) * binomial(2 * steps, b);
      }
      const run = explore(trapping, spec(steps, irqBound, preemptionBound));
      expect(run.exhausted).toBe(true);
      expect(run.executions).toBe(expected);
      expect(new Set(run.hashes).size).toBe(expected);
    }), { numRuns: 25 });
  });

  it('says the space is not exhausted when the iteration budget runs out first', () => {
    const run = explore(computing, spec(6, 2, 0, 10));
    expect(run.executions).toBe(10);
    expect(run.exhausted).toBe(false);
  });

  it('reports a scenario that is not deterministic instead of searching a wrong tree', () => {
    const tree = new DfsTree();
    tree.choose(2);
    tree.advance();
    expect(() => tree.choose(3)).toThrow(/not deterministic/);
  });
});
