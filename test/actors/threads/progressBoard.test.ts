// The VMM actor's progress board (progressBoard.ts): what the VMM publishes at a slice boundary is
// what the main thread reads, over the same shared memory, whole numbers past 2^32 included.
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { createProgressBuffer, ProgressBoard } from '../../../src/actors/threads/progressBoard.js';

describe('progress board', () => {
  it('reads all zeros before the first boundary, then the last figures published', () => {
    const buffer = createProgressBuffer();
    const reader = new ProgressBoard(buffer);
    expect(reader.read()).toEqual({ steps: 0, elapsedUs: 0, events: 0, pendingEvents: 0, vmmBugs: 0, deviceBugs: 0 });
    const writer = new ProgressBoard(buffer);
    writer.publish(10, 20, 30, 4, 0, 1);
    writer.publish(2 ** 40 + 1, 3_600_000_000, 5, 6, 7, 8);
    expect(reader.read()).toEqual({ steps: 2 ** 40 + 1, elapsedUs: 3_600_000_000, events: 5, pendingEvents: 6, vmmBugs: 7, deviceBugs: 8 });
  });

  it('figures written on another thread arrive', async () => {
    const buffer = createProgressBuffer();
    // The worker writes through a plain Float64Array view, as the board does (no import needed there).
    const worker = new Worker('const { workerData } = require("node:worker_threads"); new Float64Array(workerData).set([1, 2, 3, 4, 5, 6]);', { eval: true, workerData: buffer });
    await new Promise((resolve) => worker.once('exit', resolve));
    expect(new ProgressBoard(buffer).read()).toEqual({ steps: 1, elapsedUs: 2, events: 3, pendingEvents: 4, vmmBugs: 5, deviceBugs: 6 });
  });
});
