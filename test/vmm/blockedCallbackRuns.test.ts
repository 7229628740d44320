// Whole runs with event callbacks that block on the critical section (SPEC §5: Begin_Critical_Section
// "blocks another VM that asks for it"; the DDK's Call_Global_Event: "The callback procedure can
// carry out any actions, and use any VMM services"): the checker finds no VMM bug (SPEC §7), a run
// replays exactly ("Same seed + config → same trace hash"), and a run forked at a moment a VM holds
// a blocked callback goes on exactly as the run straight through.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import scenario from '../../scripts/mutants/scenarios/blockingCallback.js';
import { RecordingChoices } from '../../src/actors/sim/choiceLog.js';
import { defaultStrategy, replayTrace, simulate } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { RunLoop } from '../../src/actors/runLoop.js';
import { restoreRun, saveRun } from '../../src/state/fork.js';
import { runLoopDigest } from '../../src/state/machine.js';
import { LogCursor } from '../support/logCursor.js';

const REF = { kind: 'module' as const, path: 'scripts/mutants/scenarios/blockingCallback.ts' };
const CONFIG = { handleMode: 'checked' as const, latitude: false };

/** Blocks and restarts of a run, by event kind ("block:global" ...). */
function blockOps(seed: number, steps: number, vms = scenario.vms) {
  const ops: Record<string, number> = {};
  const sized = { ...scenario, vms };
  const result = runSim({
    scenario: sized, seed, steps, stopOn: 'never', choices: defaultStrategy(sized, seed).choices,
    onRecord: (r) => { if (r.k === 'blockedCallback') ops[`${r.op}:${r.kind}`] = (ops[`${r.op}:${r.kind}`] ?? 0) + 1; },
  });
  return { ops, result };
}

describe('runs with blocking callbacks', () => {
  it('property: over seeded runs of 2 to 5 VMs, the checker finds no VMM bug and no device bug; global, VM and priority callbacks all block and run again', () => {
    const seen: Record<string, number> = {};
    fc.assert(fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 2, max: 5 }), (seed, vms) => {
      const { ops, result } = blockOps(seed, 300, vms);
      for (const [op, n] of Object.entries(ops)) seen[op] = (seen[op] ?? 0) + n;
      expect(result.invariantsOk).toBe(true);
      expect(result.violations).toEqual([]);
    }), { numRuns: 60, seed: 5 });
    for (const kind of ['global', 'vm', 'priority']) {
      expect(seen[`block:${kind}`]).toBeGreaterThan(0);
      expect(seen[`restart:${kind}`]).toBeGreaterThan(0);
    }
  });

  it('replays exactly: the same trace hash, checkpoints and record count', () => {
    const { trace, result } = simulate({ scenario, scenarioRef: REF, seed: 2, steps: 400, config: CONFIG, keepAll: true });
    expect(result.all!.filter((r) => r.k === 'blockedCallback' && r.op === 'restart').length).toBeGreaterThan(0);
    const replay = replayTrace(trace, scenario);
    expect(replay.divergence).toBeNull();
    expect(replay.result?.traceHash).toBe(trace.expect.traceHash);
  });

  it('fork: restored at a step where a VM holds a blocked callback, the run ends as the run straight through', () => {
    const seed = 1;
    const steps = 400;
    const recording = new RecordingChoices(defaultStrategy(scenario, seed).choices);
    const first = new RunLoop({ scenario, seed, choices: recording, tailRecords: 8 });
    let blockedAt = -1;
    for (let i = 0; i < steps; i++) {
      first.step();
      if (blockedAt < 0 && first.vmm.vms.some((vm) => vm.blockedCallback !== null)) blockedAt = i + 1;
    }
    expect(blockedAt).toBeGreaterThan(0);

    const cursor = new LogCursor(recording.log);
    const loop = new RunLoop({ scenario, seed, choices: cursor, tailRecords: 8 });
    for (let i = 0; i < blockedAt; i++) loop.step();
    const blocked = loop.vmm.vms.map((vm) => (vm.blockedCallback === null ? null : { ...vm.blockedCallback }));
    expect(blocked.some((b) => b !== null)).toBe(true);
    const saved = saveRun(loop);
    const savedAt = cursor.at;
    const digest = runLoopDigest(loop);
    for (let i = blockedAt; i < steps; i++) loop.step();
    const straight = loop.finish();

    restoreRun(loop, saved);
    cursor.at = savedAt;
    expect(runLoopDigest(loop)).toBe(digest);
    expect(loop.vmm.vms.map((vm) => vm.blockedCallback)).toEqual(blocked);
    for (let i = blockedAt; i < steps; i++) loop.step();
    const forked = loop.finish();
    expect(forked.traceHash).toBe(straight.traceHash);
    expect(forked.records).toBe(straight.records);
    expect(forked.violations).toEqual(straight.violations);
  });
});

