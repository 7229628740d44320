// "exhausted" must mean it. The bounded space of a real driver (a Hw_Int_Proc whose callback
// runs at a processing point, the system timer beside it, ring-0 preemption points, event-order
// choices) is counted here by an enumeration of our own, written from README's definition of dfs
// ("option 0 (no IRQ) first, then each eligible source alone; every order of pending global
// events"; bounds: IRQs per execution, IRQs inside ring-0 code, steps) against the ChoiceSource
// interface alone, and held to the executions of a stateless dfs that says it exhausted the space.
import { describe, expect, it } from 'vitest';
import { syncInCallbackScenario } from '../../examples/outside/syncInCallback.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import type { IrqPoint } from '../../src/vmm/choices.js';

const scenario = syncInCallbackScenario(true);

/** Leaves of the choice tree, by re-execution: each run follows `prefix`, then answers 0 and notes every point's arity. */
function countLeaves(steps: number, irqBound: number, preemptionBound: number): number {
  let leaves = 0;
  const visit = (prefix: number[]): void => {
    const arity: number[] = [];
    let irqs = 0;
    let preemptions = 0;
    const take = (options: number): number => {
      const answer = arity.length < prefix.length ? prefix[arity.length]! : 0;
      arity.push(options);
      return answer;
    };
    const sourcesOf = (mask: number): number[] => [...Array(31).keys()].filter((i) => (mask & (1 << i)) !== 0);
    const choices = {
      irqArrivals(point: IrqPoint): number {
        const allowed = irqs < irqBound && (!point.inRing0 || preemptions < preemptionBound) ? sourcesOf(point.eligibleSources) : [];
        if (allowed.length === 0) return 0;
        const answer = take(1 + allowed.length);
        if (answer === 0) return 0;
        irqs++;
        if (point.inRing0) preemptions++;
        return 1 << allowed[answer - 1]!;
      },
      nextGlobalEvent: (pending: number): number => (pending > 1 ? take(pending) : 0),
      callNow: (): boolean => true,
    };
    runSim({ scenario, seed: 1, steps, choices });
    leaves++;
    for (let at = arity.length - 1; at >= prefix.length; at--) {
      for (let answer = 1; answer < arity[at]!; answer++) visit([...prefix, ...new Array<number>(at - prefix.length).fill(0), answer]);
    }
  };
  visit([]);
  return leaves;
}

describe('a stateless dfs that says "exhausted" ran every execution of the bounded space', () => {
  it.each([[3, 1, 1], [4, 1, 1], [4, 2, 1], [5, 2, 2]])('steps %i, IRQ bound %i, preemption bound %i', async (steps, irqBudget, preemptionBound) => {
    const expected = countLeaves(steps, irqBudget, preemptionBound);
    const spec = {
      ...campaignSpec({ scenario, scenarioRef: { kind: 'module', path: 'examples/outside/fixed/syncInCallback.ts' }, strategy: 'dfs', seed: 1, iterations: 100_000, steps, params: { irqBudget, preemptionBound } }),
      dfsState: { prune: false, fork: false },
    };
    const outcome = await explore(scenario, spec, { shrink: false });
    expect(outcome.campaign.exhausted).toBe(true);
    expect(outcome.campaign.executions).toBe(expected);
    expect(expected).toBeGreaterThan(steps); // the tree really branches (IRQs inside ring 0 too)
  });
});
