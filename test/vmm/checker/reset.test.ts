// A checker reset for the next run (the explorer runs one machine many times) judges whatever it
// reads next exactly as a new checker would: nothing of the first stream (live events, boosts,
// open frames, virtual PICs, the critical section, a pending Time_Critical_Boost removal) leaks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../../src/actors/runLoop.js';
import { defaultStrategy } from '../../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../../src/scenario/default.js';
import { InvariantChecker } from '../../../src/vmm/checker/checker.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';

function history(seed: number, handleMode: 'checked' | 'pooled'): HistoryRecord[] {
  const base = defaultScenario(4, 1500);
  const scenario = { ...base, config: { ...base.config, handleMode } };
  const loop = new RunLoop({ scenario, seed, keepAll: true, choices: defaultStrategy(scenario, seed).choices });
  while (loop.steps < 1500) loop.step();
  return loop.finish().all!;
}

const HISTORIES = [history(1, 'checked'), history(2, 'pooled'), history(3, 'checked')];

/** A stretch of a recorded history, cut anywhere (so it starts and ends mid-event) and with records dropped. */
const streamArb = fc.record({
  which: fc.nat(HISTORIES.length - 1),
  from: fc.nat(4000),
  length: fc.integer({ min: 1, max: 1500 }),
  dropped: fc.array(fc.nat(1500), { maxLength: 6 }),
}).map(({ which, from, length, dropped }) => {
  const all = HISTORIES[which]!;
  const start = from % all.length;
  return all.slice(start, start + length).filter((_, i) => !dropped.includes(i));
});

function verdicts(checker: InvariantChecker, stream: readonly HistoryRecord[]): unknown {
  for (const r of stream) checker.onRecord(r);
  checker.finish();
  return { violations: checker.violations, vmmBugs: checker.vmmBugs, deviceBugs: checker.deviceBugs, ok: checker.invariantsOk };
}

describe('InvariantChecker.reset', () => {
  it('after any first stream, a reset checker gives a new checker\'s verdicts on the next', () => {
    fc.assert(
      fc.property(streamArb, streamArb, fc.boolean(), (first, next, finished) => {
        const reused = new InvariantChecker();
        for (const r of first) reused.onRecord(r);
        if (finished) reused.finish();
        reused.reset();
        expect(verdicts(reused, next)).toEqual(verdicts(new InvariantChecker(), next));
      }),
      { numRuns: 60, seed: 15 },
    );
  });

  it('leaves the violations it handed out before alone', () => {
    const checker = new InvariantChecker();
    for (const r of HISTORIES[0]!.slice(100, 400)) checker.onRecord(r);
    const before = checker.violations;
    const kept = [...before];
    expect(kept.length).toBeGreaterThan(0);
    checker.reset();
    expect(checker.violations).toEqual([]);
    expect(before).toEqual(kept);
  });
});
