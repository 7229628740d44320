// What the VMM did between two preemption points (preemptionGaps.ts), over scripted counters, a
// scripted schedstat and collections noted by hand: each gap over 300 µs gets the first cause in
// the order cpuWait, gc, boundary, parked, creditWake, ifClear, longStep; samples that waited over
// 300 µs to be taken are counted against the gap they waited through.
import { describe, expect, it } from 'vitest';
import { PreemptionGaps, type GapCounters } from '../../../src/actors/threads/preemptionGaps.js';
import { StallMeter, type SchedstatSource } from '../../../src/actors/threads/stallMeter.js';

function scripted(readings: [number, number, number][]): SchedstatSource {
  let next = 0;
  return { available: true, read: (out) => out.set(readings[next++]!.slice(0, out.length)), close() {} };
}

describe('preemption gaps', () => {
  it('splits the gaps over 300 µs by what the VMM did in them, and counts the long waits in each', () => {
    const counters: GapCounters = { steps: 0, parkedMs: 0, creditWakeMs: 0, boundaries: 0 };
    // Windows of the stall meter: [100, 102.15] the thread waited 0.5 ms for a CPU; [102.15, 130] it did not.
    const meter = new StallMeter(scripted([[0, 0, 1], [1.65, 0.5, 2], [29.5, 0.5, 2]]));
    meter.mark(100);
    const gaps = new PreemptionGaps((out) => Object.assign(out, counters), meter);
    const at = (ms: number, change: Partial<GapCounters> = {}): void => {
      Object.assign(counters, change);
      gaps.point(ms);
    };
    at(101);
    at(101.1, { steps: 1 }); // 100 µs: not a gap
    at(102.1, { steps: 2 }); // 1 ms in the window with a CPU wait: cpuWait
    gaps.taken(900, 102.1);
    gaps.taken(200, 102.1); // a short wait: not counted
    at(102.2, { steps: 3 });
    at(103.2, { steps: 4 }); // 1 ms, a collection inside: gc
    gaps.noteGc(102.6, 102.8);
    at(104.2, { steps: 5, boundaries: 1, parkedMs: 0.3 }); // a slice boundary (and a park): boundary
    gaps.taken(400, 104.2);
    at(105.2, { steps: 6, parkedMs: 1 }); // parked
    at(106.2, { steps: 7, creditWakeMs: 0.5 }); // a credit wake
    at(107.2, { steps: 10 }); // three steps without a preemption point that could take: ifClear
    at(108.2, { steps: 11 }); // one long step on the CPU
    at(108.4, { steps: 12 }); // 200 µs: not a gap
    meter.mark(102.15);
    gaps.classify(102.15);
    meter.mark(130);
    gaps.classify(130);
    const s = gaps.summary();
    expect(s.points).toBe(11);
    expect(s.gaps).toBe(7);
    expect(s.kept).toBe(7);
    expect(s.gapsMs).toBeCloseTo(7, 5);
    expect(s.longSamples).toBe(2);
    expect(s.longSamplesInKept).toBe(2);
    const first = Object.fromEntries(Object.entries(s.byCause).map(([cause, share]) => [cause, share.gaps]));
    expect(first).toEqual({ cpuWait: 1, gc: 1, boundary: 1, parked: 1, creditWake: 1, ifClear: 1, longStep: 1 });
    expect(s.byCause.cpuWait.longSamples).toBe(1);
    expect(s.byCause.boundary.longSamples).toBe(1);
    expect(s.byCause.parked.had).toBe(2); // the boundary's gap had a park too
    expect(s.byCause.longStep.had).toBe(7);
    expect(s.stepsInOnCpuGap).toEqual({ p50: 3, max: 3 });
    expect(s.longest[0]![0]).toBe(1000);
  });

  it('puts a stall between a take and the read after it in the gap of the samples raised during it', () => {
    // The VMM took at 101.0 (nothing raised yet), then stood still until 102.0 before its clock
    // read; an IRQ raised at 101.1 was taken at the next point, 102.01, having waited 910 µs.
    const counters: GapCounters = { steps: 0, parkedMs: 0, creditWakeMs: 0, boundaries: 0 };
    const gaps = new PreemptionGaps((out) => Object.assign(out, counters), null);
    gaps.point(100.99, 101);
    gaps.point(101, 102); // the stall: its own point's gap is 1 ms
    counters.steps = 1;
    gaps.point(102, 102.01);
    gaps.taken(910, 102.01);
    const s = gaps.summary();
    // From the previous point's read before its take (101) to this one's after (102.01): 1.01 ms.
    expect(s.gaps).toBe(2);
    expect(s.longSamples).toBe(1);
    expect(s.longSamplesInKept).toBe(1);
    expect(s.longest.map((gap) => gap[0])).toEqual([1010, 1010]);
  });
});
