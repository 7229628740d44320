/**
 * The wall-clock half of the watchdog, run on a thread other than the one running device code:
 * it reads the ring-0 watch words (vmm/ring0Watch.ts) every POLL_MS and calls `onHung` once when
 * one ring-0 entry has been running for `boundMs` with no other entry begun or ended, i.e. device
 * code that never returns and calls no service (the service-call budget catches the rest).
 */
import { readRing0Watch, RING0_WATCH_WORDS } from '../vmm/ring0Watch.js';
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
  return `${hung.invariant === true ? `scenario ${hung.proc}` : `device ${hung.device}, procedure ${hung.proc}`} has not returned for ${(hung.stuckMs / 1000).toFixed(1)} s (the watchdog's bound, --watchdog): taken as code that never returns`;
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

/** The stuck entry named: past the procedures, a device's state(); past the devices, invariant k (scenario/guard.ts). */
export function hungDevice(names: DeviceNames, at: StuckAt): HungDevice {
  const entry = names[at.deviceIndex];
  if (entry === undefined) return { device: '', proc: `invariant #${at.procIndex + 1}`, stuckMs: at.stuckMs, invariant: true };
  return { device: entry[0], proc: entry[1][at.procIndex] ?? (at.procIndex === entry[1].length ? 'state()' : `#${at.procIndex}`), stuckMs: at.stuckMs };
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
