/**
 * Thread priorities of the actors. On a machine with fewer cores than runnable threads (2 cores:
 * up to 8 VM actors, the PIC actor, the VMM actor and the main thread), the kernel shares the
 * cores evenly, so an IRQ the PIC actor raises waits while VM actors, which only run ahead
 * filling their credit windows, hold the CPU (measured: the VMM had a CPU ~89% of a run, and
 * its waits for one made the interrupt → callback tail). The VM actors are producers with
 * slack; the PIC actor (the hardware) and the VMM actor (the one CPU) are the ones that must
 * run on time. So each VM actor lowers its own thread's priority (a higher nice value, which
 * needs no privilege) and the others keep theirs, as a real system gives interrupt handling
 * precedence over background work.
 *
 * Linux keeps the nice value per thread (setpriority on a thread id); elsewhere a process-wide
 * call would slow the whole run, so nothing is changed there. The main thread is never touched.
 */
import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** The nice value VM actors take by default: about a tenth of a nice-0 thread's CPU share when both want a core. */
export const PRODUCER_NICE_DEFAULT = 10;

/** This thread's kernel id (Linux), or null where there is none to read. */
function threadId(): number | null {
  try {
    const id = Number(readlinkSync('/proc/thread-self').split('/').pop());
    return Number.isInteger(id) && id > 0 ? id : null;
  } catch {
    return null;
  }
}

/** Lowers this worker thread's priority to `nice`; false when not applied (0, not Linux, the main thread, refused). */
export function lowerThisThreadPriority(nice: number): boolean {
  if (nice <= 0 || process.platform !== 'linux') return false;
  const id = threadId();
  if (id === null || id === process.pid) return false;
  try {
    setPriority(id, nice);
    return true;
  } catch {
    return false;
  }
}

/** This thread's nice value as the kernel has it (Linux), or null. */
export function thisThreadNice(): number | null {
  if (process.platform !== 'linux') return null;
  const id = threadId();
  if (id === null) return null;
  try {
    return getPriority(id);
  } catch {
    return null;
  }
}
