/**
 * CPU time per thread of this process, from /proc/self/task (Linux; null elsewhere), so that a
 * bench can say which thread spent what: this (main) thread, the worker threads of a pool, and
 * the runtime's own threads (V8's platform threads: parallel and concurrent garbage collection,
 * the optimizing compiler; libuv's pool). Resolution: one clock tick (10 ms).
 */
import { readdirSync, readFileSync } from 'node:fs';

/** Thread id → CPU ms (user + system). */
export type ThreadCpu = Map<number, number>;

const TICK_MS = 10;

export function threadCpu(): ThreadCpu | null {
  if (process.platform !== 'linux') return null;
  const out: ThreadCpu = new Map();
  let tids: string[];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * TICK_MS);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

export interface CpuByThread {
  /** This thread: the campaign itself when it runs here, the pool's coordinator otherwise. */
  mainMs: number;
  /** Threads that did not exist at `runtimeThreads` time: the pool's workers. */
  workersMs: number;
  /** Threads that existed before the pool: V8's and libuv's own (garbage collection, compiler). */
  runtimeMs: number;
}

/** What each kind of thread spent between two readings. */
export function cpuByThread(before: ThreadCpu, after: ThreadCpu, runtimeThreads: ReadonlySet<number>): CpuByThread {
  const split: CpuByThread = { mainMs: 0, workersMs: 0, runtimeMs: 0 };
  for (const [tid, ms] of after) {
    const spent = ms - (before.get(tid) ?? 0);
    if (tid === process.pid) split.mainMs += spent;
    else if (runtimeThreads.has(tid)) split.runtimeMs += spent;
    else split.workersMs += spent;
  }
  return split;
}
