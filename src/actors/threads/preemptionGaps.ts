/**
 * What the VMM thread did between two preemption points, for the latency tail. An IRQ raised
 * while the VMM runs waits for the next preemption point at which the CPU has interrupts
 * enabled and its source is eligible (cpu.ts `preempt`): the latency probe's `takeAt` is exactly
 * those points. So every sample that waited long to be taken waited through one gap between two
 * of them (from the clock read before the previous point's take to the one after this point's:
 * a stall between a take and a read is inside), and the gap's contents say why:
 *
 *   cpuWait     the thread waited for a CPU in the gap (the stall meter's windows)
 *   gc          a garbage collection of the VMM's isolate overlapped it (PerformanceObserver)
 *   boundary    a slice boundary fell in it (credits, a trace chunk's post, an event-loop turn)
 *   parked      the VMM waited for the current VM's next op (its actor behind)
 *   creditWake  the VMM woke a VM actor parked on its credit (Atomics.notify: a futex wake)
 *   ifClear     it spans more than one client step: ring-0 code ran steps with interrupts off
 *   longStep    none of the above: one step of device code, on the CPU
 *
 * A gap can have several; its `cause` is the first in that order, and the summary gives both.
 * Bench only (`tailGaps`): it reads the clock at every preemption point.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import type { StallMeter } from './stallMeter.js';

/** Gaps shorter than this are not kept: the tail the brief is about starts at ~5 raw wakes. */
export const GAP_MIN_US = 300;
/** A bound on memory for any run length: later gaps are counted, not kept. */
const GAPS_KEPT_MAX = 20_000;
const GCS_KEPT_MAX = 20_000;

export const GAP_CAUSES = ['cpuWait', 'gc', 'boundary', 'parked', 'creditWake', 'ifClear', 'longStep'] as const;
export type GapCause = (typeof GAP_CAUSES)[number];

/** What the gap recorder reads of the VMM run at each preemption point. */
export interface GapCounters {
  steps: number;
  parkedMs: number;
  creditWakeMs: number;
  boundaries: number;
}

export interface CauseShare {
  /** Gaps whose first cause (the order above) is this one, and their wall time. */
  gaps: number;
  ms: number;
  /** Gaps that had it at all (a gap can have several). */
  had: number;
  /** Samples that waited over GAP_MIN_US to be taken whose gap had this first cause. */
  longSamples: number;
}

export interface GapSummary {
  /** Preemption points seen (with interrupts enabled and a source eligible). */
  points: number;
  /** Gaps over GAP_MIN_US, their wall time (ms), and how many were kept for the split below. */
  gaps: number;
  gapsMs: number;
  kept: number;
  /** Samples whose wait to be taken was over GAP_MIN_US, and how many of those the kept gaps hold. */
  longSamples: number;
  longSamplesInKept: number;
  byCause: Record<GapCause, CauseShare>;
  /** Of the gaps with no other cause (longStep, ifClear): client steps per gap, p50 and max. */
  stepsInOnCpuGap: { p50: number; max: number };
  /** The longest gaps kept: [µs, cause, steps, parked µs, credit-wake µs, ms since the first point]. */
  longest: [number, GapCause, number, number, number, number][];
}

/** Row layout of a kept gap in `rows`. */
const START_MS = 0, END_MS = 1, STEPS = 2, PARKED_MS = 3, CREDIT_MS = 4, BOUNDARIES = 5, LONG_SAMPLES = 6, CPU_WAIT = 7;
const ROW = 8;

export class PreemptionGaps {
  private points = 0;
  private lastMs = 0;
  private firstMs = 0;
  private readonly last: GapCounters = { steps: 0, parkedMs: 0, creditWakeMs: 0, boundaries: 0 };
  private gaps = 0;
  private gapsMs = 0;
  private longSamples = 0;
  private readonly rows = new Float64Array(ROW * GAPS_KEPT_MAX);
  private kept = 0;
  /** Kept gaps whose CPU-wait question the stall meter has not answered yet start here. */
  private unclassifiedFrom = 0;
  private readonly gcs: number[] = [];
  private readonly observer: PerformanceObserver;

  private readonly now: GapCounters = { steps: 0, parkedMs: 0, creditWakeMs: 0, boundaries: 0 };

  constructor(private readonly readCounters: (out: GapCounters) => void, private readonly stalls: StallMeter | null) {
    this.observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) this.noteGc(entry.startTime, entry.startTime + entry.duration);
    });
    this.observer.observe({ entryTypes: ['gc'] });
  }

  /**
   * At a preemption point: the clock (performance.now(), ms) read just before its take and just
   * after. A gap runs from the previous point's first read to this one's second, so a stall
   * between a take and a read still lies in the gap of every sample that waited through it
   * (consecutive gaps overlap by one point's take).
   */
  point(beforeTakeMs: number, afterTakeMs = beforeTakeMs): void {
    this.points++;
    const c = this.now;
    this.readCounters(c);
    const gapMs = afterTakeMs - this.lastMs;
    if (this.lastMs === 0) this.firstMs = beforeTakeMs;
    if (this.lastMs !== 0 && gapMs * 1000 > GAP_MIN_US) {
      this.gaps++;
      this.gapsMs += gapMs;
      if (this.kept < GAPS_KEPT_MAX) {
        const at = ROW * this.kept++;
        const r = this.rows;
        r[at + START_MS] = this.lastMs;
        r[at + END_MS] = afterTakeMs;
        r[at + STEPS] = c.steps - this.last.steps;
        r[at + PARKED_MS] = c.parkedMs - this.last.parkedMs;
        r[at + CREDIT_MS] = c.creditWakeMs - this.last.creditWakeMs;
        r[at + BOUNDARIES] = c.boundaries - this.last.boundaries;
        r[at + LONG_SAMPLES] = 0;
        r[at + CPU_WAIT] = -1;
      }
    }
    this.lastMs = beforeTakeMs;
    this.last.steps = c.steps;
    this.last.parkedMs = c.parkedMs;
    this.last.creditWakeMs = c.creditWakeMs;
    this.last.boundaries = c.boundaries;
  }

  /** A sample taken at the point just noted (`nowMs`: its read after the take) waited `waitedUs` to be taken. */
  taken(waitedUs: number, nowMs: number): void {
    if (waitedUs <= GAP_MIN_US) return;
    this.longSamples++;
    const last = this.kept - 1;
    if (last >= 0 && this.rows[ROW * last + END_MS] === nowMs) this.rows[ROW * last + LONG_SAMPLES]!++;
  }

  /** A garbage collection of this isolate ran over [startMs, endMs] (performance.now()). */
  noteGc(startMs: number, endMs: number): void {
    if (this.gcs.length < 2 * GCS_KEPT_MAX) this.gcs.push(startMs, endMs);
  }

  /** After each stall-meter mark: kept gaps that ended before it learn whether the thread waited for a CPU in them. */
  classify(markMs: number): void {
    const stalls = this.stalls;
    if (stalls === null) return;
    const r = this.rows;
    while (this.unclassifiedFrom < this.kept && r[ROW * this.unclassifiedFrom + END_MS]! <= markMs) {
      const at = ROW * this.unclassifiedFrom++;
      r[at + CPU_WAIT] = stalls.waitedForCpu(r[at + START_MS]!, r[at + END_MS]!) ? 1 : 0;
    }
  }

  summary(): GapSummary {
    this.observer.disconnect();
    const byCause = Object.fromEntries(GAP_CAUSES.map((c) => [c, { gaps: 0, ms: 0, had: 0, longSamples: 0 }])) as Record<GapCause, CauseShare>;
    const onCpuSteps: number[] = [];
    const longest: GapSummary['longest'] = [];
    let keptLongSamples = 0;
    for (let i = 0; i < this.kept; i++) {
      const at = ROW * i;
      const r = this.rows;
      const startMs = r[at + START_MS]!, endMs = r[at + END_MS]!, steps = r[at + STEPS]!;
      const has: Record<GapCause, boolean> = {
        cpuWait: r[at + CPU_WAIT] === 1,
        gc: this.gcOverlaps(startMs, endMs),
        boundary: r[at + BOUNDARIES]! > 0,
        parked: r[at + PARKED_MS]! > 0,
        creditWake: r[at + CREDIT_MS]! > 0,
        ifClear: steps > 1,
        longStep: true,
      };
      const cause = GAP_CAUSES.find((c) => has[c])!;
      const share = byCause[cause];
      share.gaps++;
      share.ms += endMs - startMs;
      share.longSamples += r[at + LONG_SAMPLES]!;
      keptLongSamples += r[at + LONG_SAMPLES]!;
      for (const c of GAP_CAUSES) if (has[c]) byCause[c].had++;
      if (cause === 'longStep' || cause === 'ifClear') onCpuSteps.push(steps);
      longest.push([Math.round((endMs - startMs) * 1000), cause, steps, Math.round(r[at + PARKED_MS]! * 1000), Math.round(r[at + CREDIT_MS]! * 1000), Math.round(startMs - this.firstMs)]);
    }
    onCpuSteps.sort((a, b) => a - b);
    longest.sort((a, b) => b[0] - a[0]);
    for (const share of Object.values(byCause)) share.ms = Math.round(share.ms * 10) / 10;
    return {
      points: this.points, gaps: this.gaps, gapsMs: Math.round(this.gapsMs * 10) / 10, kept: this.kept,
      longSamples: this.longSamples, longSamplesInKept: keptLongSamples, byCause,
      stepsInOnCpuGap: { p50: onCpuSteps[onCpuSteps.length >> 1] ?? 0, max: onCpuSteps[onCpuSteps.length - 1] ?? 0 },
      longest: longest.slice(0, 10),
    };
  }

  private gcOverlaps(startMs: number, endMs: number): boolean {
    const g = this.gcs;
    for (let i = 0; i < g.length; i += 2) if (g[i]! < endMs && g[i + 1]! > startMs) return true;
    return false;
  }
}
