/**
 * The wall-clock half of the watchdog, run on a thread other than the one running device code:
 * it reads the ring-0 watch words (vmm/ring0Watch.ts) every POLL_MS and calls `onHung` once when
 * one ring-0 entry has been running for `boundMs` with no other entry begun or ended, i.e. device
 * code that never returns and calls no service (the service-call budget catches the rest).
 */
import { getHeapStatistics } from 'node:v8';
import { DEVICE_STATES_READ, readRing0Watch, RING0_WATCH_WORDS } from '../vmm/ring0Watch.js';
import type { DeviceNames } from './deviceNames.js';

/** How long one ring-0 entry may run on the wall clock: real handlers take microseconds. */
export const RING0_WALL_MS_DEFAULT = 3000;
/** The bound of this thread's pool watchers (explore/watchedPool.ts): the command's `--watchdog`, set once by the command. */
let poolBoundMs = RING0_WALL_MS_DEFAULT;

export function setPoolRing0Bound(ms: number): void {
  poolBoundMs = ms;
}

export function poolRing0Bound(): number {
  return poolBoundMs;
}

/** How often a watcher looks at the words. */
export const POLL_MS = 50;

export interface HungDevice {
  device: string;
  proc: string;
  stuckMs: number;
  /** A scenario invariant (its number in `proc`), not device code. */
  invariant?: boolean;
  /** Set when the process had grown near a thread's heap limit as the watchdog fired (memoryNearLimit). */
  memory?: MemoryNearLimit;
}

/** The process's resident memory, and the heap limit each of its threads has (V8's default), in MB. */
export interface MemoryNearLimit {
  rssMb: number;
  heapLimitMb: number;
}

/**
 * Code that keeps allocating does not run out of memory at once: near its thread's heap limit V8
 * collects again and again, for tens of seconds, and a procedure stalled in those collections
 * has "not returned" as surely as a loop (measured: 18-45 s to the watchdog's 3 s, at 1.3-4 GB).
 * So the watchdog looks at the process's memory as it fires, and says so when it is past this
 * share of the limit: the one diagnosis the words cannot give.
 */
const NEAR_LIMIT_SHARE = 0.75;

export function memoryNearLimit(rssBytes = process.memoryUsage.rss(), heapLimitBytes = getHeapStatistics().heap_size_limit): MemoryNearLimit | null {
  if (rssBytes < NEAR_LIMIT_SHARE * heapLimitBytes) return null;
  return { rssMb: Math.round(rssBytes / 2 ** 20), heapLimitMb: Math.round(heapLimitBytes / 2 ** 20) };
}

export function ring0WatchBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(RING0_WATCH_WORDS * Int32Array.BYTES_PER_ELEMENT);
}

/** Device code on a pool thread did not return: its task, and the thread, were ended (explore/watchedPool.ts). */
export class WorkerHung extends Error {
  override readonly name = 'WorkerHung';
  constructor(readonly hung: HungDevice) {
    super(`watchdog: ${hungMessage(hung)}; it ran on a pool worker, which was stopped`);
  }
}

export function hungMessage(hung: HungDevice): string {
  const where = hung.invariant === true ? `scenario ${hung.proc}` : `device ${hung.device}, procedure ${hung.proc}`;
  const stuck = `${where} has not returned for ${(hung.stuckMs / 1000).toFixed(1)} s (the watchdog's bound, --watchdog)`;
  if (hung.memory === undefined) return `${stuck}: taken as code that never returns`;
  const gb = (mb: number): string => (mb / 1024).toFixed(1);
  return `${stuck}, with the process at ${gb(hung.memory.rssMb)} GB of memory (a thread's heap may grow to ${gb(hung.memory.heapLimitMb)} GB): most likely code that keeps allocating, stalled in garbage collection (or code that never returns)`;
}

/** Where one entry has been stuck, by index (a watcher names it with the machine's device names). */
export interface StuckAt {
  deviceIndex: number;
  procIndex: number;
  stuckMs: number;
}

/**
 * One thread's ring-0 watch words, looked at now and then: `look` says where device code is stuck
 * once one entry has run for `boundMs` with no other entry begun or ended, else null. After it has
 * said so once it says nothing until the words move again (a pool's replacement thread).
 */
export class StuckEntry {
  private lastEntries = -1;
  private sinceMs = performance.now();
  private fired = false;

  constructor(private readonly words: Int32Array, private readonly boundMs: number) {}

  look(nowMs = performance.now()): StuckAt | null {
    const seen = readRing0Watch(this.words);
    if (seen.depth === 0 || seen.entries !== this.lastEntries) {
      this.lastEntries = seen.entries;
      this.sinceMs = nowMs;
      this.fired = false;
      return null;
    }
    if (this.fired || nowMs - this.sinceMs < this.boundMs) return null;
    this.fired = true;
    return { deviceIndex: seen.deviceIndex, procIndex: seen.procIndex, stuckMs: Math.round(nowMs - this.sinceMs) };
  }
}

/** Stateful dfs's read of the device states (ring0Watch.ts DEVICE_STATES_READ), as a hang names it. */
export const DEVICE_STATES_READ_TEXT = "code reading the devices' states for stateful dfs (a getter or proxy trap in a state without end?)";

/** The stuck entry named: past the procedures, a device's state(); past the devices, invariant k (scenario/guard.ts). */
export function hungDevice(names: DeviceNames, at: StuckAt, memory = memoryNearLimit()): HungDevice {
  const entry = names[at.deviceIndex];
  const near = memory === null ? {} : { memory };
  if (at.procIndex === DEVICE_STATES_READ) return { device: '', proc: DEVICE_STATES_READ_TEXT, stuckMs: at.stuckMs, invariant: true, ...near };
  if (entry === undefined) return { device: '', proc: `invariant #${at.procIndex + 1}`, stuckMs: at.stuckMs, invariant: true, ...near };
  return { device: entry[0], proc: entry[1][at.procIndex] ?? (at.procIndex === entry[1].length ? 'state()' : `#${at.procIndex}`), stuckMs: at.stuckMs, ...near };
}

/** `names` gives the devices of the machine running now (they may change: a campaign runs several scenarios). */
export function watchRing0(buffer: SharedArrayBuffer, names: () => DeviceNames, boundMs: number, onHung: (hung: HungDevice) => void): { stop(): void } {
  const stuck = new StuckEntry(new Int32Array(buffer, 0, RING0_WATCH_WORDS), boundMs);
  let fired = false;
  const timer = setInterval(() => {
    if (fired) return;
    const at = stuck.look();
    if (at === null) return;
    fired = true;
    onHung(hungDevice(names(), at));
  }, POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
