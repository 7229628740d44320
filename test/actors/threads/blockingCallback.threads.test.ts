// A threaded run in which event callbacks block on the critical section (SPEC §5: Begin_Critical_Section
// "blocks another VM that asks for it"; the DDK's Call_Global_Event: "The callback procedure can carry
// out any actions, and use any VMM services") ends with every invariant holding, and its trace
// replays in the simulated runtime without divergence ("a failure seen under real threads can be
// replayed in the simulated runtime"), blocks and restarts included, and its warnings are the replay's.
import { describe, expect, it } from 'vitest';
import { replayTrace } from '../../../src/actors/sim/simulate.js';
import { runThreads } from '../../../src/actors/threads/orchestrator.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { TraceFileSchema } from '../../../src/shared/trace.js';

describe('blocking callbacks on threads', () => {
  it('run with every invariant holding, and the trace replays in the simulated runtime with the same blocks', async () => {
    const ref = { kind: 'module' as const, path: 'scripts/mutants/scenarios/blockingCallback.ts' };
    const result = await runThreads({ scenario: ref, seed: 3, config: { handleMode: 'checked', latitude: false }, durationMs: 800 });
    expect(result.fault).toBeNull();
    const last = result.last!;
    expect(last.invariantsOk).toBe(true);
    expect(last.violations).toEqual([]);
    const trace = TraceFileSchema.parse(JSON.parse(JSON.stringify(result.trace)));
    const replay = replayTrace(trace, await loadScenario(trace.scenario), true);
    expect(replay.divergence).toBeNull();
    const all = replay.result!.all!;
    expect(all.filter((r) => r.k === 'blockedCallback' && r.op === 'block').length).toBeGreaterThan(0);
    expect(all.filter((r) => r.k === 'blockedCallback' && r.op === 'restart').length).toBeGreaterThan(0);
    // The run's warnings (noteThenClaim schedules before it blocks: its restart repeats that call)
    // reach the main thread as the simulator's checker makes them on the replay (the first 100).
    // Which callback blocked depends on the threads' timing: only a restarted noteThenClaim warns.
    const noteRestarts = all.filter((r) => r.k === 'blockedCallback' && r.op === 'restart' && r.callback === 'noteThenClaim');
    if (noteRestarts.length > 0) expect(result.warnings.length).toBeGreaterThan(0);
    const fromReplay = replay.result!.warnings.slice(0, 100).map(({ kind, seq, message }) => ({ kind, seq, message }));
    expect(result.warnings.map(({ kind, seq, message }) => ({ kind, seq, message }))).toEqual(fromReplay);
  }, 120_000); // threads, then a replay keeping every record: slow on a loaded machine
});
