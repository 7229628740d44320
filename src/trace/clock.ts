/**
 * A timestamp in microseconds for every history record.
 *
 * Simulated runs: virtual ticks (one tick = one virtual µs). Ring-0 code costs the core almost
 * no virtual time, so a trap, a nested IRQ and an event-processing pass often share a tick;
 * records that share a tick are spread evenly across it, so that their order and nesting stay
 * visible (and every timestamp is distinct, which keeps begin/end pairs unambiguous).
 *
 * Threaded runs with `stepTimesUs`: the wall-clock time of each client step. A record belongs to
 * the step of the last `clientOp` before it; records within a step are spread evenly up to the
 * next step's time.
 */
import type { HistoryRecord } from '../vmm/history.js';
import type { ClockKind } from './model.js';

/** Distinct timestamps never get closer than this (µs): 1 ns, the resolution Perfetto keeps. */
const MIN_GAP_US = 1e-3;

export function recordTimesUs(records: readonly HistoryRecord[], stepTimesUs?: readonly number[]): { clock: ClockKind; timesUs: number[] } {
  const wall = stepTimesUs !== undefined && stepTimesUs.length > 0;
  const base = wall ? stepBases(records, stepTimesUs) : records.map((r) => r.ticks);
  return { clock: wall ? 'wallClockUs' : 'virtualTicks', timesUs: spread(base) };
}

/** The wall-clock time of the step each record belongs to. */
function stepBases(records: readonly HistoryRecord[], stepTimesUs: readonly number[]): number[] {
  let step = -1;
  const last = stepTimesUs.length - 1;
  return records.map((r) => {
    if (r.k === 'clientOp') step++;
    return stepTimesUs[Math.max(0, Math.min(step, last))]!;
  });
}

/** Records with the same base time share the interval up to the next base time. */
function spread(base: readonly number[]): number[] {
  const out = new Array<number>(base.length);
  let i = 0;
  let previous = -Infinity;
  while (i < base.length) {
    let j = i;
    while (j + 1 < base.length && base[j + 1] === base[i]) j++;
    const next = j + 1 < base.length ? base[j + 1]! : base[i]! + 1;
    const width = next > base[i]! ? next - base[i]! : 1;
    const n = j - i + 1;
    for (let k = 0; k < n; k++) {
      const t = base[i]! + (width * k) / n;
      previous = Math.max(t, previous + MIN_GAP_US);
      out[i + k] = previous;
    }
    i = j + 1;
  }
  return out;
}
