// The latency probe's split of its samples by the VMM thread's CPU waits (latencyProbe.ts, over a
// scripted schedstat): a sample completed in a stretch in which the thread never waited for a CPU
// counts in the no-CPU-wait figure and in its take → callback part; one that waited counts in
// neither. Wall-clock values are real, so only counts and orderings are asserted.
import { describe, expect, it } from 'vitest';
import { createIrqBuffer, IrqRaiser, IrqTaker } from '../../../src/actors/threads/irqLines.js';
import { LatencyProbe } from '../../../src/actors/threads/latencyProbe.js';
import { StallMeter, type SchedstatSource } from '../../../src/actors/threads/stallMeter.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';

function scripted(readings: [number, number, number][]): SchedstatSource {
  let next = 0;
  return { available: true, read: (out) => out.set(readings[next++]!.slice(0, out.length)), close() {} };
}

const scheduled = { k: 'scheduled', ctx: 'hwint', kind: 'global', callback: 'timer.tick' } as unknown as HistoryRecord;
const dispatched = { k: 'dispatch', kind: 'global', callback: 'timer.tick' } as unknown as HistoryRecord;

describe('latency probe', () => {
  it('counts a sample as without a CPU wait, with its take → callback part, only when the thread never waited in it', () => {
    const buffer = createIrqBuffer();
    const raiser = new IrqRaiser(buffer);
    // Second window: no run-queue time; third: 0.5 ms of it.
    const meter = new StallMeter(scripted([[0, 0, 1], [1, 0, 1], [2, 0.5, 2]]));
    const probe = new LatencyProbe(new IrqTaker(buffer), [{ device: 'timer', irq: 0 }], meter);
    probe.loopStarted();
    meter.mark(performance.now());
    const sample = (): void => {
      raiser.raise(1);
      expect(probe.takeAt(1)).toBe(1);
      probe.onRecord(scheduled);
      probe.onRecord(dispatched);
    };
    sample();
    meter.mark(performance.now());
    probe.classify();
    sample();
    meter.mark(performance.now());
    probe.classify();
    const s = probe.summary();
    expect(s.count).toBe(2);
    expect(s.noCpuWaitUs!.count).toBe(1);
    expect(s.takenToCallbackNoCpuWaitUs!.count).toBe(1);
    expect(s.takenToCallbackNoCpuWaitUs!.max).toBeLessThanOrEqual(s.noCpuWaitUs!.max);
  });
});
