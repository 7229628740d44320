/**
 * What held the VMM actor up, for the latency figure: an IRQ waits at least until the VMM's next
 * preemption point, so every stretch in which the VMM makes no step is one an interrupt raised
 * meanwhile waits through. The meter reads the kernel's account of the VMM thread
 * (SchedstatReader) every `windowSteps` client steps and
 * - sums the windows that took over STALL_MS (stalls), split into
 *     runQueue  the thread was ready but had no CPU (more runnable threads than cores),
 *     onCpu     it ran, yet made no step for that long (garbage collection, a long step),
 *     blocked   it was parked (waiting for a client op, its event loop between slices);
 * - remembers the recent windows in which the thread waited for a CPU at all, so the latency
 *   probe can single out the samples that never did: what the figure is when the VMM thread has
 *   a core whenever it needs one (more cores, or a quiet machine).
 * - counts the windows in which the thread ran throughout (never switched out) yet took over
 *   OWN_GAP_US (ownGaps): the VMM's own stretches without a preemption point (a scavenge, a
 *   trace chunk's post, an event-loop turn, code V8 threw away), which more cores would not
 *   shorten, unlike the waits for a CPU above. On a loaded machine the figure still carries
 *   time the hypervisor took the virtual CPU away, which the thread cannot see.
 * A read is one pread of /proc: it runs only when the run measures latency (`vmmsim bench`).
 */
import { SchedstatReader } from './threadTimes.js';

/** A window longer than this is a stall. */
export const STALL_MS = 1;
/** Run-queue time in a window above this counts as "waited for a CPU" (below: accounting noise). */
const CPU_WAIT_MIN_MS = 0.02;
/** Windows with a CPU wait remembered: [startMs, endMs] pairs, newest last (a ring). */
const CPU_WAITS_KEPT = 1024;
/** An own gap is a window longer than this (µs): about twice the raw Atomics wake's p99 here, the latency target. */
export const OWN_GAP_US = 130;

/** A thread's schedstat, as the meter reads it (threadTimes.ts; a script in tests). */
export interface SchedstatSource {
  readonly available: boolean;
  /** [ms on a CPU, ms waiting for one, times switched in]. */
  read(out: Float64Array): void;
  close(): void;
}

export interface OwnGaps {
  /** Windows read (one every `windowSteps` steps). */
  windows: number;
  /** Windows the thread ran throughout that took over OWN_GAP_US, over 250 µs, over 1 ms. */
  over130Us: number;
  over250Us: number;
  over1000Us: number;
  /** Their wall time in all (ms): the share of IRQs that land in one. */
  over130UsMs: number;
}

export interface StallSummary {
  count: number;
  wallMs: number;
  runQueueMs: number;
  onCpuMs: number;
  blockedMs: number;
  /** Stall wall time over the run's: the share of IRQs that arrive during one. */
  shareOfWall: number;
  ownGaps: OwnGaps;
}

export class StallMeter {
  private readonly now = new Float64Array(3);
  private lastMs = 0;
  private lastSwitchIns = 0;
  private readonly ownGaps: OwnGaps = { windows: 0, over130Us: 0, over250Us: 0, over1000Us: 0, over130UsMs: 0 };
  private lastCpuMs = 0;
  private lastRunQueueMs = 0;
  private readonly summary = { count: 0, wallMs: 0, runQueueMs: 0, onCpuMs: 0, blockedMs: 0 };
  private readonly cpuWaits = new Float64Array(2 * CPU_WAITS_KEPT);
  /** Windows with a CPU wait recorded so far (the ring's write position is this mod CPU_WAITS_KEPT). */
  private cpuWaitCount = 0;

  constructor(private readonly reader: SchedstatSource = new SchedstatReader()) {}

  /** Called at a step boundary with performance.now(). */
  mark(nowMs: number): void {
    if (!this.reader.available) return;
    this.reader.read(this.now);
    const cpuMs = this.now[0]!;
    const runQueueMs = this.now[1]!;
    const switchIns = this.now[2]!;
    if (this.lastMs !== 0) {
      const wallMs = nowMs - this.lastMs;
      this.noteOwnGap(wallMs, switchIns === this.lastSwitchIns);
      const waitedMs = Math.min(wallMs, runQueueMs - this.lastRunQueueMs);
      if (waitedMs > CPU_WAIT_MIN_MS) {
        const at = 2 * (this.cpuWaitCount % CPU_WAITS_KEPT);
        this.cpuWaits[at] = this.lastMs;
        this.cpuWaits[at + 1] = nowMs;
        this.cpuWaitCount++;
      }
      if (wallMs > STALL_MS) {
        const onCpuMs = Math.min(wallMs - waitedMs, cpuMs - this.lastCpuMs);
        const s = this.summary;
        s.count++;
        s.wallMs += wallMs;
        s.runQueueMs += waitedMs;
        s.onCpuMs += onCpuMs;
        s.blockedMs += wallMs - waitedMs - onCpuMs;
      }
    }
    this.lastMs = nowMs;
    this.lastSwitchIns = switchIns;
    this.lastCpuMs = cpuMs;
    this.lastRunQueueMs = runQueueMs;
  }

  /**
   * True if the thread waited for a CPU at some point in [fromMs, toMs] (performance.now), as far
   * as the windows marked so far tell; also true when that stretch is older than what is kept.
   */
  waitedForCpu(fromMs: number, toMs: number): boolean {
    if (!this.reader.available) return false;
    const kept = Math.min(this.cpuWaitCount, CPU_WAITS_KEPT);
    for (let back = 1; back <= kept; back++) {
      const at = 2 * ((this.cpuWaitCount - back) % CPU_WAITS_KEPT);
      const startMs = this.cpuWaits[at]!;
      const endMs = this.cpuWaits[at + 1]!;
      if (endMs < fromMs) return false; // windows are in time order: the older ones end earlier still
      if (startMs <= toMs) return true;
    }
    return kept === CPU_WAITS_KEPT;
  }

  stalls(wallMs: number): StallSummary {
    return { ...this.summary, shareOfWall: wallMs > 0 ? this.summary.wallMs / wallMs : 0, ownGaps: { ...this.ownGaps } };
  }

  private noteOwnGap(wallMs: number, ranThroughout: boolean): void {
    const gaps = this.ownGaps;
    gaps.windows++;
    if (!ranThroughout || wallMs * 1000 <= OWN_GAP_US) return;
    gaps.over130Us++;
    gaps.over130UsMs += wallMs;
    if (wallMs > 0.25) gaps.over250Us++;
    if (wallMs > 1) gaps.over1000Us++;
  }

  close(): void {
    this.reader.close();
  }
}
