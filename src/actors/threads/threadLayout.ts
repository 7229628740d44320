/**
 * Where the actors' threads run: the VMM actor on a CPU of its own, the VM and PIC actors and
 * the orchestrator's thread on the others (Linux, at least 2 CPUs this process may use).
 *
 * Why, by decomposition (4 s latency runs of the built-in machine, 2 cores, load 0.4, each
 * sample matched with the VMM thread's schedstat every 64 steps, its GCs, slice boundaries and
 * parks): an IRQ waits for the VMM's next preemption point, and in 95% of the samples over
 * 100 µs the VMM made no step at all meanwhile (in 1% it passed preemption points that could
 * not take the IRQ; in 3% the wait was after the take, before the callback). Of the 408
 * samples over 150 µs (5.5%): 224 the VMM was in the run queue (median 340 µs), 67 in a
 * young-generation GC (median 268 µs; 136 scavenges of ~0.4 ms, 1.5% of the run), 20 at a
 * slice boundary that posted a trace chunk (40 posts of ~275 µs) or turned its event loop (5
 * turns of 1-2 ms), 3 parked for an op, 88 on a CPU without any of these (schedstat counts CPU
 * time in 4 ms ticks: mostly the same causes, not told apart). Who took the VMM's CPU was mostly
 * our own threads: it was preempted 1,300-1,800 times a run, where a busy loop alone on this
 * machine is preempted 12 times. A VM actor woken on its credit (by the VMM: the kernel wakes it
 * on the VMM's CPU when the other one is busy) runs its batch of pushes there while the VMM
 * waits. Pinning only the VM actors away, or only the VMM, left most of it (1,350 and 570
 * preemptions); the VMM alone on its CPU, everything else on the other: 50-300.
 *
 * Result (the same runs, alternated with the previous build in the quiet minutes of a shared
 * machine, load 2.3-3): the VMM preempted 1,385-1,983 → 21-90 times a run, 121-189 → 10-44 ms
 * in the run queue; p99 385 / 472 / 555 → 190 / 228 / 262 µs, 6.2-9.4× → 2.5-3.9× the raw
 * wake's p99 (54-75 µs). What is left is the VMM's own time off the core, which more cores do
 * not change: the samples that never waited for a CPU have p99 173-238 µs either way, and the
 * stretches above predict it (an IRQ landing in one waits for the rest of it): scavenges 1.5%
 * of the run × ~0.4 ms, chunk posts 0.27% × ~0.28 ms, event-loop turns 0.19% × ~1.5 ms give
 * P(wait > 200 µs) ≈ 1%. Under 2× the wake needs fewer or shorter scavenges (allocation per
 * step in the core).
 *
 * The orchestrator's thread (the caller's) is held to the actors' CPUs during the run and gets
 * its own back after; threads it starts meanwhile inherit them, which is why only then. So is
 * every other thread the process has when the run starts, V8's platform workers above all: they
 * do the concurrent GC and compilation of every isolate (~0.8 s of CPU in a run's first 1.5 s
 * with `--v8-pool-size=1`), and left free the kernel put them on the VMM's CPU. Measured (4 s
 * latency runs, quiet 2-core machine, alternated, 4 pairs): the VMM's time in the run queue
 * 18-51 → 5-17 ms a run, latency p99.9 1.7-3.9 → 0.7-2.1 ms, p99 within noise.
 * Node has no call to set a thread's CPUs, so each actor runs `taskset -p -c LIST TID`
 * (util-linux) on its own thread id as it is configured. Where that fails (no taskset, one CPU,
 * not Linux) the run goes unplaced, as before; the VMM reports its placement (VmmStats.placement).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, readlinkSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SchedstatSource } from './stallMeter.js';
import { SchedstatReader } from './threadTimes.js';

/**
 * 'auto': split unless other processes keep half the CPUs busy as the run starts (they would
 * share the VMM's CPU, and a placed run under load 4-11 did no better than an unplaced one,
 * worse until it gave the layout up); 'split': always where it can; 'shared': never.
 * Busy is sampled over BUSY_WINDOW_MS, not read from the load average: that is a minute's
 * average, which a run's own work just before (a bench's previous measurement, a test's
 * previous run) keeps high long after it ended.
 */
export type ThreadLayoutMode = 'auto' | 'split' | 'shared';

/** CPUs for each kind of actor; null: leave every thread where the kernel puts it. */
export interface ThreadLayout {
  vmmCpus: number[];
  actorCpus: number[];
}

/**
 * The VMM gives its CPU up when, over this long, it waited for it more than CROWDED_SHARE of the
 * time: another process keeps that CPU busy, and a thread held to it cannot move away (measured
 * once under load 4: 1.8 s of 4 s in the run queue, p99 17 ms). Placed runs wait 0.4-3.5%.
 */
const CROWDED_WINDOW_MS = 100;
const CROWDED_SHARE = 0.25;
/** How long one taskset may take (it is a fork and an exec, normally a few ms). */
const TASKSET_TIMEOUT_MS = 5000;

/** Parses a kernel CPU list ("0-3,8,10-11") into CPU numbers; null if it is not one. */
export function parseCpuList(list: string): number[] | null {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const match = /^(\d+)(?:-(\d+))?$/.exec(part);
    if (match === null) return null;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return null;
    for (let cpu = from; cpu <= to; cpu++) cpus.push(cpu);
  }
  return cpus;
}

/** The CPUs this thread may run on (Linux), or null where the kernel does not say. */
export function allowedCpus(): number[] | null {
  try {
    const match = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync('/proc/thread-self/status', 'utf8'));
    return match === null ? null : parseCpuList(match[1]!);
  } catch {
    return null;
  }
}

/** How long 'auto' watches the machine before a run (the kernel counts CPU time in 10 ms ticks). */
const BUSY_WINDOW_MS = 100;

/** The CPU time counters of /proc/stat's first line (all CPUs), busy and total, in ticks. */
function machineTicks(): { busy: number; total: number; cpus: number } | null {
  try {
    const stat = readFileSync('/proc/stat', 'utf8');
    const fields = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number);
    if (fields === undefined || fields.length < 4 || fields.some((f) => !Number.isFinite(f))) return null;
    // user nice system idle iowait irq softirq steal ...: idle and iowait are not busy.
    const total = fields.slice(0, 8).reduce((a, b) => a + b, 0);
    const idle = fields[3]! + (fields[4] ?? 0);
    return { busy: total - idle, total, cpus: (stat.match(/^cpu\d+\s/gm) ?? []).length };
  } catch {
    return null;
  }
}

/**
 * How many CPUs' worth of work processes other than this one did over the next `windowMs`
 * (Linux; this process's own CPU time taken off); null where the kernel does not say.
 */
export async function busyElsewhereCpus(windowMs = BUSY_WINDOW_MS): Promise<number | null> {
  const before = machineTicks();
  const ownBefore = process.cpuUsage();
  if (before === null) return null;
  await sleep(windowMs);
  const after = machineTicks();
  const own = process.cpuUsage(ownBefore);
  if (after === null || after.total <= before.total || after.cpus === 0) return null;
  const busyCpus = ((after.busy - before.busy) / (after.total - before.total)) * after.cpus;
  const ownCpus = (own.user + own.system) / 1000 / windowMs;
  return Math.max(0, busyCpus - ownCpus);
}

/** The layout for these CPUs: the last one for the VMM, the rest for the other actors. */
export function planLayout(mode: ThreadLayoutMode, cpus: readonly number[] | null, busyElsewhere = 0): ThreadLayout | null {
  if (mode === 'shared' || cpus === null || cpus.length < 2) return null;
  if (mode === 'auto' && busyElsewhere >= cpus.length / 2) return null;
  return { vmmCpus: [cpus[cpus.length - 1]!], actorCpus: cpus.slice(0, -1) };
}

/** A run of this process holds a layout: a second run at the same time goes without (two VMMs would share one CPU). */
let layoutHeld = false;

/**
 * The layout of a run that starts now (the actors place themselves), with every other thread of
 * the process held to the actors' CPUs while the run goes (the caller's, the orchestrator's:
 * trace chunks, progress; V8's platform workers), so that none takes the VMM's CPU. `end`
 * gives them the caller's CPUs back.
 */
export function beginLayout(mode: ThreadLayoutMode, busyElsewhere: number): { layout: ThreadLayout | null; end(): void } {
  const callerCpus = layoutHeld ? null : allowedCpus();
  const layout = planLayout(mode, callerCpus, busyElsewhere);
  if (layout === null || callerCpus === null) return { layout: null, end: () => undefined };
  layoutHeld = true;
  // The actors are spawned already: they place themselves after this, as they are configured.
  setEveryThread(layout.actorCpus);
  return {
    layout,
    end: () => {
      layoutHeld = false;
      setEveryThread(callerCpus);
    },
  };
}

/**
 * Lets every thread of this process run on `cpus` (taskset -a): as a run starts (its background
 * threads to the actors' CPUs), as it ends (all back), and when the VMM gives the layout up.
 * There, only the VMM giving up its own CPU was not enough (under load 4-6, alternated: p99
 * 11-13 ms against 4-12 ms shared): the other actors and the caller stayed on the CPUs left,
 * among the load.
 */
export function setEveryThread(cpus: readonly number[]): void {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpus.join(','), String(process.pid)], { stdio: 'ignore', timeout: TASKSET_TIMEOUT_MS });
  } catch {
    // Nothing more to do: the threads stay where they were placed.
  }
}

/** Restricts the calling thread to `cpus`; false if that could not be done (it runs anywhere then). */
export function placeThisThread(cpus: readonly number[]): boolean {
  try {
    const threadId = readlinkSync('/proc/thread-self').split('/').pop()!;
    execFileSync('taskset', ['-p', '-c', cpus.join(','), threadId], { stdio: 'ignore', timeout: TASKSET_TIMEOUT_MS });
    return allowedCpus()?.join(',') === cpus.join(',');
  } catch {
    return false;
  }
}

/**
 * The VMM actor's placement during its run: checked at slice boundaries (one read of the
 * thread's schedstat per CROWDED_WINDOW_MS); when the VMM's own CPU turns out crowded, every
 * thread of the run may run on every CPU of the layout from then on, as without one (the
 * caller's thread gets its own CPUs back at the end either way).
 *
 * `release` lets the threads go. In a run it asks the orchestrator's thread to do it: taskset
 * is a fork and an exec, and done here (execFileSync) it held the VMM thread, and every IRQ
 * raised meanwhile, for as long: 14-331 ms, median ~50 ms, at load 8 (where it gives up); 8.4%
 * of the VMM's run in a profile of an event-path run then.
 */
export class VmmPlacement {
  private readonly reader: SchedstatSource | null;
  private readonly reading = new Float64Array(2);
  private windowStartMs = -1;
  private windowRunQueueMs = 0;
  /** When the placement was given up (ms since the loop started), null while it holds. */
  gaveUpAtMs: number | null = null;

  constructor(private readonly layout: ThreadLayout | null, private placed: boolean, private readonly release: (cpus: number[]) => void = setEveryThread,
    reader: SchedstatSource | null = placed ? new SchedstatReader() : null) {
    this.reader = reader;
  }

  /** The CPUs the thread was placed on, null if it was not. */
  get placedOn(): number[] | null {
    return this.layout !== null && (this.placed || this.gaveUpAtMs !== null) ? this.layout.vmmCpus : null;
  }

  /** At a slice boundary (nowMs: performance.now()). */
  check(nowMs: number, loopStartMs: number): void {
    const reader = this.reader;
    if (!this.placed || reader === null || this.layout === null) return;
    if (this.windowStartMs >= 0 && nowMs - this.windowStartMs < CROWDED_WINDOW_MS) return;
    reader.read(this.reading);
    const runQueueMs = this.reading[1]!;
    if (this.windowStartMs >= 0 && runQueueMs - this.windowRunQueueMs > CROWDED_SHARE * (nowMs - this.windowStartMs)) {
      this.release([...this.layout.actorCpus, ...this.layout.vmmCpus].sort((a, b) => a - b));
      this.placed = false;
      this.gaveUpAtMs = nowMs - loopStartMs;
      reader.close();
      return;
    }
    this.windowStartMs = nowMs;
    this.windowRunQueueMs = runQueueMs;
  }
}
