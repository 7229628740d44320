// What the latency measurement allocates on the VMM thread, per call, in the young generation
// (youngAllocation.ts): each byte there brings the next scavenge closer, and an IRQ raised during
// a scavenge waits for it, so the meter must not add scavenges to the figure it measures.
// - a schedstat read (the stall meter reads one every 64 client steps);
// - a latency sample (an IRQ taken at a preemption point, its handler's scheduled record, the
//   callback's dispatch, and a stall-meter mark every 8 samples, as in a run);
// - a preemption point with nothing raised, with and without the gap recorder (`gaps` runs
//   only: it reads the clock at every point, and a read allocates a number).
// One thread, no workers; the meter's schedstat is this thread's.
//   npm run build && node dist/bench/threads/measureAllocation.js [calls]
import { createIrqBuffer, IrqRaiser, IrqTaker } from '../../src/actors/threads/irqLines.js';
import { LatencyProbe } from '../../src/actors/threads/latencyProbe.js';
import { PreemptionGaps } from '../../src/actors/threads/preemptionGaps.js';
import { StallMeter } from '../../src/actors/threads/stallMeter.js';
import { SchedstatReader } from '../../src/actors/threads/threadTimes.js';
import type { HistoryRecord } from '../../src/vmm/history.js';
import { runIfEntry } from '../transport/runDirectly.js';
import { measureYoungAllocation } from '../youngAllocation.js';

export interface MeasureAllocation {
  calls: number;
  schedstatReadBytes: number;
  latencySampleBytes: number;
  pointBytes: number;
  pointWithGapRecorderBytes: number;
}

/** Calls before measuring: V8 optimizes the code meanwhile, as it has in a run. */
const WARM_UP_CALLS = 20_000;
const SAMPLES_PER_MARK = 8;

function perCall(calls: number, body: () => void): number {
  for (let i = 0; i < WARM_UP_CALLS; i++) body();
  const { youngBytes } = measureYoungAllocation(() => {
    for (let i = 0; i < calls; i++) body();
  });
  return Math.round((youngBytes / calls) * 10) / 10;
}

export function measureAllocation(calls = 200_000): MeasureAllocation {
  const reader = new SchedstatReader();
  const reading = new Float64Array(3);
  const schedstatReadBytes = perCall(calls, () => reader.read(reading));

  const buffer = createIrqBuffer();
  const raiser = new IrqRaiser(buffer);
  const sources = [{ device: 'timer', irq: 0 }, { device: 'keyboard', irq: 1 }];
  const meter = new StallMeter(reader);
  const probe = new LatencyProbe(new IrqTaker(buffer), sources, meter);
  probe.loopStarted();
  const scheduled = { k: 'scheduled', ctx: 'hwint', kind: 'global', callback: 'timer.tick' } as unknown as HistoryRecord;
  const dispatched = { k: 'dispatch', kind: 'global', callback: 'timer.tick' } as unknown as HistoryRecord;
  let samples = 0;
  const latencySampleBytes = perCall(calls, () => {
    raiser.raise(1);
    probe.takeAt(3);
    probe.onRecord(scheduled);
    probe.onRecord(dispatched);
    if (++samples % SAMPLES_PER_MARK === 0) {
      meter.mark(performance.now());
      probe.classify();
    }
  });
  const pointBytes = perCall(calls, () => probe.takeAt(3));

  const gaps = new PreemptionGaps((out) => {
    out.steps = 0;
    out.parkedMs = 0;
    out.creditWakeMs = 0;
    out.boundaries = 0;
  }, null);
  const recorded = new LatencyProbe(new IrqTaker(createIrqBuffer()), sources, null, gaps);
  const pointWithGapRecorderBytes = perCall(calls, () => recorded.takeAt(3));
  gaps.summary();
  reader.close();
  return { calls, schedstatReadBytes, latencySampleBytes, pointBytes, pointWithGapRecorderBytes };
}

runIfEntry(import.meta.url, async () => measureAllocation(Number(process.argv[2] ?? 200_000)));
