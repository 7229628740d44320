/**
 * A timestamp in microseconds for every history record, computed as the records stream by.
 *
 * Simulated runs: virtual ticks (one tick = one virtual µs). Ring-0 code costs the core almost
 * no virtual time, so a trap, a nested IRQ and an event-processing pass often share a tick;
 * records that share a tick are spread evenly across it, so that their order and nesting stay
 * visible (and every timestamp is distinct, which keeps begin/end pairs unambiguous).
 *
 * Threaded runs: the wall-clock time of each client step (the trace's `stepTimesUs`, one sample
 * every `stepTimesStride` steps; between samples the time is interpolated, past the last one
 * extrapolated at the run's mean step rate). A record belongs to the step of the last
 * `clientOp` before it; records within a step are spread evenly up to the next step's time.
 *
 * Only the records of one base time (one tick, one step) are held back at a time.
 */
import type { HistoryRecord } from '../vmm/history.js';
import type { ClockKind } from './model.js';

/** Distinct timestamps never get closer than this (µs): 1 ns, the resolution Perfetto keeps. */
const MIN_GAP_US = 1e-3;

export interface StepTimes {
  stepTimesUs: readonly number[];
  /** Steps between two samples; 1 when every step has its time. */
  strideSteps?: number;
}

/** The start time of client step `step` (0-based), from the samples. */
export function stepTimeUs(times: StepTimes, step: number): number {
  const samples = times.stepTimesUs;
  const stride = times.strideSteps ?? 1;
  const at = Math.max(0, step) / stride;
  const lo = Math.floor(at);
  const last = samples.length - 1;
  if (lo < last) return samples[lo]! + (at - lo) * (samples[lo + 1]! - samples[lo]!);
  const meanStepUs = last > 0 ? (samples[last]! - samples[0]!) / (last * stride) : 1;
  return samples[last]! + (at - last) * stride * meanStepUs;
}

export type TimedSink = (record: HistoryRecord, timeUs: number) => void;

export class RecordClock {
  readonly clock: ClockKind;
  private group: HistoryRecord[] = [];
  private groupBaseUs = 0;
  private step = -1;
  private previousUs = -Infinity;

  constructor(private readonly emit: TimedSink, private readonly times?: StepTimes) {
    this.clock = times !== undefined && times.stepTimesUs.length > 0 ? 'wallClockUs' : 'virtualTicks';
  }

  push(record: HistoryRecord): void {
    if (record.k === 'clientOp') this.step++;
    const baseUs = this.clock === 'wallClockUs' ? stepTimeUs(this.times!, this.step) : record.ticks;
    if (this.group.length > 0 && baseUs !== this.groupBaseUs) this.flush(baseUs);
    this.group.push(record);
    this.groupBaseUs = baseUs;
  }

  /** Emits the records still held back (the last base time gets a width of 1 µs). */
  end(): void {
    if (this.group.length > 0) this.flush(this.groupBaseUs + 1);
  }

  /** The held records share the interval up to the next base time. */
  private flush(nextBaseUs: number): void {
    const base = this.groupBaseUs;
    const n = this.group.length;
    const width = nextBaseUs > base ? nextBaseUs - base : 1;
    for (let k = 0; k < n; k++) {
      this.previousUs = Math.max(base + (width * k) / n, this.previousUs + MIN_GAP_US);
      this.emit(this.group[k]!, this.previousUs);
    }
    this.group = [];
  }
}

/** The whole-array form, for a timeline built from records in memory. */
export function recordTimesUs(records: readonly HistoryRecord[], stepTimesUs?: readonly number[], strideSteps = 1): { clock: ClockKind; timesUs: number[] } {
  const timesUs: number[] = [];
  const clock = new RecordClock((_, t) => timesUs.push(t), stepTimesUs !== undefined ? { stepTimesUs, strideSteps } : undefined);
  for (const r of records) clock.push(r);
  clock.end();
  return { clock: clock.clock, timesUs };
}
