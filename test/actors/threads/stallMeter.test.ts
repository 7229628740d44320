// The stall meter (stallMeter.ts) over a scripted schedstat: stretches the thread waited for a
// CPU count as run-queue time, and only the windows it ran throughout (never switched in again)
// count as its own gaps, by length.
import { describe, expect, it } from 'vitest';
import { StallMeter, type SchedstatSource } from '../../../src/actors/threads/stallMeter.js';

/** Readings handed out in order: [ms on a CPU, ms waiting for one, times switched in]. */
function scripted(readings: [number, number, number][]): SchedstatSource {
  let next = 0;
  return {
    available: true,
    read(out) {
      out.set(readings[next++]!.slice(0, out.length));
    },
    close() {},
  };
}

describe('stall meter', () => {
  it('counts own gaps only in windows the thread ran throughout, by length', () => {
    const meter = new StallMeter(scripted([
      [0, 0, 10],
      [0.05, 0, 10], // 0.05 ms: short
      [0.35, 0, 10], // 0.3 ms, ran throughout: own gap over 130 and 250 µs
      [0.45, 0.2, 11], // 0.3 ms with a switch (it waited 0.2 ms for a CPU): not its own
      [1.65, 0.2, 11], // 1.2 ms ran throughout: a stall on the CPU and an own gap over 1 ms
      [1.8, 0.2, 12], // 0.15 ms, switched in again (parked): not its own
    ]));
    for (const atMs of [0, 0.05, 0.35, 0.65, 1.85, 2]) meter.mark(atMs + 100);
    const { ownGaps, count, onCpuMs, runQueueMs } = meter.stalls(2);
    expect(ownGaps.windows).toBe(5);
    expect(ownGaps.over130Us).toBe(2);
    expect(ownGaps.over250Us).toBe(2);
    expect(ownGaps.over1000Us).toBe(1);
    expect(ownGaps.over130UsMs).toBeCloseTo(1.5, 9);
    expect(count).toBe(1);
    expect(onCpuMs).toBeCloseTo(1.2, 9);
    expect(runQueueMs).toBe(0);
    expect(meter.waitedForCpu(100.3, 100.5)).toBe(true);
    expect(meter.waitedForCpu(100.7, 101.8)).toBe(false);
  });
});
