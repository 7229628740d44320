/**
 * A seeded strategy restarted for a new execution (`restart(rng)`, what StrategyPool does for
 * every execution of a campaign range) must be the strategy a new one on that generator is:
 * driven through the same calls, after a first execution that moved every part of its state
 * (budgets spent, priorities changed, handlers in service, global-event priorities pending),
 * it gives the same answers. And a campaign range run through the pool gives the summaries of
 * executions that each made their own strategy.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { RandomStrategy } from '../../src/actors/sim/randomStrategy.js';
import type { SourceInfo } from '../../src/actors/sim/irqSources.js';
import { PctStrategy } from '../../src/actors/sim/strategies/pct.js';
import { PosStrategy } from '../../src/actors/sim/strategies/pos.js';
import { runExecution, seededStrategy, strategySeed } from '../../src/explore/execution.js';
import { memberOf, runIterations } from '../../src/explore/iterations.js';
import { THREAD_KIT } from '../../src/explore/machineKit.js';
import { StrategyPool } from '../../src/explore/strategyPool.js';
import { zooCampaign } from '../../src/explore/zooRun.js';
import { Rng } from '../../src/shared/rng.js';
import type { ChoiceSource } from '../../src/vmm/choices.js';
import type { HistoryRecord } from '../../src/vmm/history.js';
import { KIND } from '../../src/vmm/recordKinds.js';

/** Source i on IRQ line 3 + i. */
function sources(count: number): SourceInfo[] {
  return Array.from({ length: count }, (_, i) => ({ device: `d${i}`, irq: 3 + i, meanIntervalTicks: 50 + 25 * i }));
}

type Strategy = ChoiceSource & { restart(rng: Rng): unknown; onRecord?(record: HistoryRecord, kind?: number): void };

/** One call to a strategy: an IRQ point (eligible mask, ticks), a global-event pick, a latitude coin, a handler entered or left. */
const arbitraryCall = fc.oneof(
  fc.record({ op: fc.constant('irq' as const), eligible: fc.integer({ min: 0, max: 15 }), ticks: fc.integer({ min: 0, max: 10_000 }) }),
  fc.record({ op: fc.constant('order' as const), pending: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ op: fc.constant('latitude' as const) }),
  fc.record({ op: fc.constantFrom('enter' as const, 'exit' as const), source: fc.integer({ min: 0, max: 3 }) }),
);
type Call = typeof arbitraryCall extends fc.Arbitrary<infer T> ? T : never;

/** The strategy's answers to `calls`, in order (handler records only where one is in service, as the core makes them). */
function drive(strategy: Strategy, calls: readonly Call[], sourceCount: number): number[] {
  const answers: number[] = [];
  const depth = new Array<number>(sourceCount).fill(0);
  let ticks = 0;
  for (const call of calls) {
    if (call.op === 'irq') {
      ticks += call.ticks;
      answers.push(strategy.irqArrivals({ ticks, inRing0: false, eligibleSources: call.eligible & ((1 << sourceCount) - 1) }));
    } else if (call.op === 'order') answers.push(strategy.nextGlobalEvent(call.pending));
    else if (call.op === 'latitude') answers.push(strategy.callNow() ? 1 : 0);
    else if (call.source < sourceCount && (call.op === 'enter' || depth[call.source]! > 0)) {
      depth[call.source]! += call.op === 'enter' ? 1 : -1;
      const kind = call.op === 'enter' ? KIND.irqEnter : KIND.irqExit;
      strategy.onRecord?.({ irq: 3 + call.source } as unknown as HistoryRecord, kind);
    }
  }
  return answers;
}

const MAKERS: Record<string, (rng: Rng, list: SourceInfo[], budget: number, depth: number, k: number) => Strategy> = {
  pct: (rng, list, irqBudget, depth, k) => new PctStrategy(rng, list, { depth, k, irqBudget }),
  pos: (rng, list, irqBudget) => new PosStrategy(rng, list, { irqBudget }),
  uniform: (rng, list, irqBudget) => new RandomStrategy(rng, list, { mode: 'uniform', p: 0.3, irqBudget, shuffleGlobals: true }),
  poisson: (rng, list, irqBudget) => new RandomStrategy(rng, list, { mode: 'poisson', irqBudget, shuffleGlobals: false }),
};

describe('a restarted seeded strategy', () => {
  for (const [name, make] of Object.entries(MAKERS)) {
    it(`${name}: answers as a new one on the same generator, after any first execution`, () => {
      fc.assert(
        fc.property(
          fc.integer({ min: 0, max: 0xffff_ffff }), fc.integer({ min: 0, max: 0xffff_ffff }),
          fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 12 }),
          fc.array(arbitraryCall, { maxLength: 60 }), fc.array(arbitraryCall, { maxLength: 60 }),
          (firstSeed, seed, sourceCount, budget, depth, k, firstCalls, calls) => {
            const list = sources(sourceCount);
            const kept = make(new Rng(firstSeed), list, budget, depth, k);
            drive(kept, firstCalls, sourceCount);
            kept.restart(new Rng(seed));
            const fresh = make(new Rng(seed), list, budget, depth, k);
            if (kept instanceof PctStrategy && fresh instanceof PctStrategy) {
              expect(kept.priorities).toEqual(fresh.priorities);
              expect(kept.changePoints).toEqual(fresh.changePoints);
              expect(kept.pointsSeen).toBe(0);
            }
            expect(drive(kept, calls, sourceCount)).toEqual(drive(fresh, calls, sourceCount));
          },
        ),
        { seed: 0x5eed, numRuns: 150 },
      );
    });
  }
});

describe('StrategyPool', () => {
  const entry = zooEntry('stale-handle')!;

  it('keeps one strategy per member and restarts it; a change of parameters gets a new one', () => {
    const { scenario, spec } = zooCampaign(entry, 'pct', false, 1);
    const pool = new StrategyPool();
    const first = pool.strategy(scenario, spec, 0, 'pct');
    expect(pool.strategy(scenario, spec, 1, 'pct')).toBe(first);
    const other = pool.strategy(scenario, { ...spec, pctK: spec.pctK + 1 }, 2, 'pct') as PctStrategy;
    expect(other).not.toBe(first);
    expect(other.options.k).toBe(spec.pctK + 1);
    expect(pool.strategy(scenario, spec, 3, 'pos')).not.toBe(first);
  });

  it('a portfolio range gives the summaries of executions each with a new strategy', () => {
    const { scenario, spec: campaign } = zooCampaign(entry, 'portfolio', false, 1);
    const spec = { ...campaign, keepGoing: true };
    const pooled = runIterations(scenario, spec, 0, 48);
    const fresh = pooled.map((_, i) => {
      const member = memberOf(spec, i);
      if (member === 'guided') return pooled[i];
      const seed = strategySeed(spec.seed, i);
      return runExecution(scenario, spec, seededStrategy(scenario, spec, i, member, seed), i, seed, member, {}, THREAD_KIT);
    });
    expect(pooled.filter((s) => s.violation !== null).length).toBeGreaterThan(0);
    expect(pooled).toEqual(fresh);
  });
});
