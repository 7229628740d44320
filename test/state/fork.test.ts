import { describe, expect, it } from 'vitest';
import { ChoiceLog, RecordingChoices } from '../../src/actors/sim/choiceLog.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { RunLoop } from '../../src/actors/runLoop.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { restoreRun, saveRun } from '../../src/state/fork.js';
import { runLoopDigest } from '../../src/state/machine.js';
import { LogCursor } from '../support/logCursor.js';

const scenario = defaultScenario(4, 400);
const seed = 7;

/** A random run of the default machine, its choices recorded. */
function recordedChoices(steps: number): ChoiceLog {
  const recording = new RecordingChoices(defaultStrategy(scenario, seed).choices);
  const loop = new RunLoop({ scenario, seed, choices: recording, tailRecords: 8 });
  for (let i = 0; i < steps; i++) loop.step();
  return recording.log;
}

describe('fork: restoring a saved run resumes it exactly (the default machine, devices and slots included)', () => {
  it('a run restored at step k ends with the same trace hash, records and violations as the run straight through', () => {
    const steps = 400;
    const log = recordedChoices(steps);
    expect(log.values.some((v) => v !== 0)).toBe(true);
    const cursor = new LogCursor(log);
    const loop = new RunLoop({ scenario, seed, choices: cursor, tailRecords: 8 });
    for (let i = 0; i < 150; i++) loop.step();
    const saved = saveRun(loop);
    const savedAt = cursor.at;
    const digestAt150 = runLoopDigest(loop);
    for (let i = 150; i < steps; i++) loop.step();
    const straight = loop.finish();
    expect(runLoopDigest(loop)).not.toBe(digestAt150);

    // Back to step 150 and on again: the same run, and the same state at every point.
    restoreRun(loop, saved);
    cursor.at = savedAt;
    expect(loop.steps).toBe(150);
    expect(runLoopDigest(loop)).toBe(digestAt150);
    for (let i = 150; i < steps; i++) loop.step();
    const forked = loop.finish();
    expect(forked.traceHash).toBe(straight.traceHash);
    expect(forked.records).toBe(straight.records);
    expect(forked.counts).toEqual(straight.counts);
    expect(forked.violations.length).toBe(straight.violations.length);
  });

  it('one snapshot restores any number of times, and a branch taken after it does not leak into it', () => {
    const log = recordedChoices(200);
    const cursor = new LogCursor(log);
    const loop = new RunLoop({ scenario, seed, choices: cursor, tailRecords: 8 });
    for (let i = 0; i < 50; i++) loop.step();
    const saved = saveRun(loop);
    const at = cursor.at;
    const hashes: string[] = [];
    for (let round = 0; round < 3; round++) {
      restoreRun(loop, saved);
      cursor.at = at;
      for (let i = 50; i < 200; i++) loop.step();
      hashes.push(loop.finish().traceHash);
    }
    expect(new Set(hashes).size).toBe(1);
    // A different branch (no more interrupts) from the same snapshot differs, then the snapshot still gives the first.
    restoreRun(loop, saved);
    cursor.at = log.length;
    for (let i = 50; i < 200; i++) loop.step();
    expect(loop.finish().traceHash).not.toBe(hashes[0]);
    restoreRun(loop, saved);
    cursor.at = at;
    for (let i = 50; i < 200; i++) loop.step();
    expect(loop.finish().traceHash).toBe(hashes[0]);
  });
});

describe('restoring a snapshot never writes into a frozen object', () => {
  it('a field that now points to another frozen object of the same shape gets the saved state in an object of its own', async () => {
    const { restoreSnapshot, takeSnapshot } = await import('../../src/state/snapshot.js');
    const early = Object.freeze({ vif: true, priority: 1 });
    const late = Object.freeze({ vif: false, priority: 9 });
    const live = { record: { state: early as { vif: boolean; priority: number } } };
    const saved = takeSnapshot(live, new Map());
    live.record.state = late;
    restoreSnapshot(live, saved, new Map());
    expect(live.record.state).toEqual({ vif: true, priority: 1 });
    expect(late).toEqual({ vif: false, priority: 9 });
  });
});

describe('the history tail across a restore', () => {
  it('holds only records made since the restore, none of the branch that left the snapshot', () => {
    const log = recordedChoices(120);
    const cursor = new LogCursor(log);
    const loop = new RunLoop({ scenario, seed, choices: cursor, tailRecords: 4096 });
    for (let i = 0; i < 40; i++) loop.step();
    const saved = saveRun(loop);
    const savedSeq = loop.vmm.seq;
    const at = cursor.at;
    for (let i = 40; i < 120; i++) loop.step();
    restoreRun(loop, saved);
    cursor.at = at;
    for (let i = 40; i < 60; i++) loop.step();
    const tail = loop.finish().tail;
    expect(tail.length).toBeGreaterThan(0);
    expect(tail[0]!.seq).toBe(savedSeq);
    expect(tail.map((r) => r.seq)).toEqual(tail.map((_, i) => savedSeq + i));
  });
});
