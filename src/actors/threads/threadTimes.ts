/**
 * What one thread did, from the kernel's accounting of that thread alone (Linux
 * /proc/thread-self; Node 20 has no process.threadCpuUsage): time on a CPU, time ready but
 * waiting for a CPU (the cost of more runnable threads than cores), and context switches,
 * voluntary (it parked: Atomics.wait, epoll) and involuntary (the scheduler took its core away).
 * Each actor takes a reading when its loop starts and another in stats(); the difference says
 * where its wall-clock time went. Elsewhere (no /proc) the readings are null and nothing breaks.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

export interface ThreadTimes {
  /** Time the thread ran on a CPU. */
  cpuMs: number;
  /** Time the thread was runnable but waited for a CPU. */
  runQueueMs: number;
  /** Switches away because the thread blocked (parked). */
  voluntarySwitches: number;
  /** Switches away because the scheduler preempted it. */
  involuntarySwitches: number;
}

function readCounter(status: string, name: string): number {
  const match = new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(status);
  return match === null ? 0 : Number(match[1]);
}

/** This thread's totals since it started, or null where the kernel does not expose them. */
export function readThreadTimes(): ThreadTimes | null {
  try {
    // schedstat: "<ns on cpu> <ns waiting on a runqueue> <timeslices>"
    const [onCpuNs, runQueueNs] = readFileSync('/proc/thread-self/schedstat', 'utf8').trim().split(/\s+/).map(Number);
    const status = readFileSync('/proc/thread-self/status', 'utf8');
    return {
      cpuMs: (onCpuNs ?? 0) / 1e6,
      runQueueMs: (runQueueNs ?? 0) / 1e6,
      voluntarySwitches: readCounter(status, 'voluntary_ctxt_switches'),
      involuntarySwitches: readCounter(status, 'nonvoluntary_ctxt_switches'),
    };
  } catch {
    return null;
  }
}

/** What the thread did between two readings (null if either is missing). */
export function threadTimesSince(start: ThreadTimes | null, end: ThreadTimes | null = readThreadTimes()): ThreadTimes | null {
  if (start === null || end === null) return null;
  return {
    cpuMs: end.cpuMs - start.cpuMs,
    runQueueMs: end.runQueueMs - start.runQueueMs,
    voluntarySwitches: end.voluntarySwitches - start.voluntarySwitches,
    involuntarySwitches: end.involuntarySwitches - start.involuntarySwitches,
  };
}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

/**
 * This thread's CPU and run-queue times (ms) from an open /proc/thread-self/schedstat, one read
 * per call: cheap enough for a few thousand calls a second. Opened on the thread it measures.
 */
export class SchedstatReader {
  private readonly fd: number | null;
  private readonly buffer = Buffer.alloc(128);

  constructor() {
    let fd: number | null = null;
    try {
      fd = openSync('/proc/thread-self/schedstat', 'r');
    } catch {
      fd = null;
    }
    this.fd = fd;
  }

  get available(): boolean {
    return this.fd !== null;
  }

  /**
   * [ms on a CPU, ms waiting for one] since the thread started, and into a third slot if `out`
   * has one the times it was switched in (a window where that did not change ran throughout:
   * never preempted, never parked); zeros where unavailable.
   */
  read(out: Float64Array): void {
    if (this.fd === null) return;
    const length = readSync(this.fd, this.buffer, 0, this.buffer.length, 0);
    // The three decimal fields are parsed from the bytes: no string per read. The meter reads
    // every 64 steps, and strings there were ~2 bytes a step, a tenth of what the VMM thread
    // allocates, so a tenth of its scavenges during a latency run.
    const buffer = this.buffer;
    let at = 0;
    for (let field = 0; field < 3 && field < out.length; field++) {
      let value = 0;
      while (at < length && (buffer[at]! < DIGIT_0 || buffer[at]! > DIGIT_9)) at++;
      while (at < length && buffer[at]! >= DIGIT_0 && buffer[at]! <= DIGIT_9) value = value * 10 + (buffer[at++]! - DIGIT_0);
      out[field] = field < 2 ? value / 1e6 : value;
    }
  }

  close(): void {
    if (this.fd !== null) closeSync(this.fd);
  }
}
