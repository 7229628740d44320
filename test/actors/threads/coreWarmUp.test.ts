// The VMM actor's warm-up (coreWarmUp.ts) runs a scratch machine before the run: "nothing of
// the scratch run reaches" the run's own machine. Checked here on one thread: a run after a
// warm-up has the trace hash, counts and violations of the same run without one, for the
// built-in machine and for a zoo scenario whose device has a bug (its own devices, not the
// warm-up's). The threaded replay test (threadedRun.threads.test.ts) checks the same end to end.
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../../examples/zoo/index.js';
import { defaultStrategy } from '../../../src/actors/sim/simulate.js';
import { runSim } from '../../../src/actors/sim/simRun.js';
import { ageHandles, warmUpCore } from '../../../src/actors/threads/coreWarmUp.js';
import { EventTable } from '../../../src/vmm/eventTable.js';
import { defaultScenario } from '../../../src/scenario/default.js';
import type { Scenario } from '../../../src/scenario/scenario.js';

function outcome(scenario: Scenario, seed: number, steps: number): unknown {
  const r = runSim({ scenario, seed, steps, choices: defaultStrategy(scenario, seed).choices });
  return { hash: r.traceHash, counts: r.counts, violations: r.violations, checkpoints: r.checkpoints };
}

describe('warming the core up before a threaded run', () => {
  it('runs the steps it is asked for, and none for 0', () => {
    expect(warmUpCore(2_000)).toBe(2_000);
    expect(warmUpCore(0)).toBe(0);
  });

  it("runs on the run's workload mix, or on the built-in one when the built-in machine cannot draw from it", () => {
    const onlyTraps = { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 };
    expect(warmUpCore(2_000, onlyTraps)).toBe(2_000);
    // No weight at all: no client could draw an op, so the warm-up takes the built-in mix.
    expect(warmUpCore(2_000, { ...onlyTraps, trap: 0 })).toBe(2_000);
  });

  it('ages the scratch table: its next handles are past 2^30 and past 2^31 (no V8 small integers), and it is empty', () => {
    const table = new EventTable('checked');
    ageHandles(table);
    expect(table.live).toBe(0);
    const handles = [0, 1, 2].map(() => table.allocate('global', 0, 0, 0)!.handle);
    expect(handles[0]).toBeGreaterThanOrEqual(2 ** 30);
    expect(handles[0]).toBeLessThan(2 ** 31);
    expect(handles[1]).toBeGreaterThanOrEqual(2 ** 31);
    // A node never used before starts at generation 1, as in any run.
    expect(handles[2]).toBeLessThan(2 ** 30);
    for (const handle of handles) expect(table.lookup(handle).status).toBe('live');
  });

  it('leaves no trace in the next machine: same hash, counts and violations as without it', () => {
    const zoo = zooEntry('stale-handle')!.scenario(false);
    const cases: [Scenario, number, number][] = [[defaultScenario(3, 3_000), 5, 3_000], [zoo, 2, 400]];
    const before = cases.map(([scenario, seed, steps]) => outcome(scenario, seed, steps));
    warmUpCore(5_000);
    const after = cases.map(([scenario, seed, steps]) => outcome(scenario, seed, steps));
    expect(after).toEqual(before);
    warmUpCore(5_000, { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 }, { handleMode: 'pooled', sharedMemory: true });
    expect(cases.map(([scenario, seed, steps]) => outcome(scenario, seed, steps))).toEqual(before);
    // The zoo case does find its bug: the comparison covers violations, not only quiet runs.
    expect((before[1] as { violations: unknown[] }).violations.length).toBeGreaterThan(0);
  });
});
