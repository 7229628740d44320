/**
 * Where the VMM actor's long pauses come from, for the latency figure: an IRQ waits at least
 * until the VMM's next preemption point, so every stretch in which the VMM makes no step is a
 * stretch an interrupt raised meanwhile waits through. The meter reads the kernel's account of
 * the VMM thread (threadTimes.ts) every `windowSteps` client steps; a window that took more than
 * STALL_MS of wall clock is a stall, split into
 *   runQueue  the thread was ready but had no CPU (more runnable threads than cores),
 *   onCpu     it ran, yet made no step for that long (garbage collection, a long step),
 *   blocked   it was parked (waiting for a client op, its event loop between slices).
 * It keeps the last stalls so the latency probe can tell a sample that waited through one
 * in which the VMM had no CPU. Reading /proc costs a few µs, so it runs only when the run
 * measures latency (`vmmsim bench`).
 */
import { readThreadTimes, type ThreadTimes } from './threadTimes.js';

/** A window longer than this is a stall. */
export const STALL_MS = 1;
/** Stalls remembered for the probe (an IRQ waits through a few at most). */
const RECENT_STALLS = 16;

export interface StallSummary {
  count: number;
  wallMs: number;
  runQueueMs: number;
  onCpuMs: number;
  blockedMs: number;
  /** Stall wall time over the run's: the share of IRQs that arrive during one. */
  shareOfWall: number;
}

export class StallMeter {
  private lastMs = 0;
  private last: ThreadTimes | null = null;
  private readonly summary = { count: 0, wallMs: 0, runQueueMs: 0, onCpuMs: 0, blockedMs: 0 };
  /** Ring of the recent run-queue stalls: [startMs, endMs] pairs (performance.now). */
  private readonly recent = new Float64Array(2 * RECENT_STALLS);
  private recentNext = 0;

  /** Called at a step boundary with performance.now(). */
  mark(nowMs: number): void {
    const times = readThreadTimes();
    const last = this.last;
    if (last !== null && times !== null && nowMs - this.lastMs > STALL_MS) {
      const wallMs = nowMs - this.lastMs;
      const runQueueMs = Math.min(wallMs, times.runQueueMs - last.runQueueMs);
      const onCpuMs = Math.min(wallMs - runQueueMs, times.cpuMs - last.cpuMs);
      const s = this.summary;
      s.count++;
      s.wallMs += wallMs;
      s.runQueueMs += runQueueMs;
      s.onCpuMs += onCpuMs;
      s.blockedMs += wallMs - runQueueMs - onCpuMs;
      // Mostly waiting for a CPU: what more cores would remove.
      if (runQueueMs >= wallMs / 2) {
        this.recent[2 * this.recentNext] = this.lastMs;
        this.recent[2 * this.recentNext + 1] = nowMs;
        this.recentNext = (this.recentNext + 1) % RECENT_STALLS;
      }
    }
    this.lastMs = nowMs;
    this.last = times;
  }

  /** True if a stall spent mostly waiting for a CPU overlaps [fromMs, toMs] (performance.now). */
  waitedForCpu(fromMs: number, toMs: number): boolean {
    for (let i = 0; i < RECENT_STALLS; i++) {
      const startMs = this.recent[2 * i]!;
      const endMs = this.recent[2 * i + 1]!;
      if (endMs !== 0 && startMs <= toMs && endMs >= fromMs) return true;
    }
    return false;
  }

  stalls(wallMs: number): StallSummary {
    return { ...this.summary, shareOfWall: wallMs > 0 ? this.summary.wallMs / wallMs : 0 };
  }
}
