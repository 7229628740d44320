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
const POLL_MS = 50;

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

export function hungMessage(hung: HungDevice): string {
  return `${hung.invariant === true ? `scenario ${hung.proc}` : `device ${hung.device}, procedure ${hung.proc}`} has not returned for ${(hung.stuckMs / 1000).toFixed(1)} s (the watchdog's bound): it never returns`;
}

/** `names` gives the devices of the machine running now (they may change: a campaign runs several scenarios). */
export function watchRing0(buffer: SharedArrayBuffer, names: () => DeviceNames, boundMs: number, onHung: (hung: HungDevice) => void): { stop(): void } {
  const words = new Int32Array(buffer);
  let lastEntries = -1;
  let sinceMs = performance.now();
  let fired = false;
  const timer = setInterval(() => {
    const now = performance.now();
    const seen = readRing0Watch(words);
    if (seen.depth === 0 || seen.entries !== lastEntries) {
      lastEntries = seen.entries;
      sinceMs = now;
      return;
    }
    if (fired || now - sinceMs < boundMs) return;
    fired = true;
    // Past the procedures: a device's state(); past the devices: invariant k (scenario/guard.ts).
    const entry = names()[seen.deviceIndex];
    const stuckMs = Math.round(now - sinceMs);
    if (entry === undefined) onHung({ device: '', proc: `invariant #${seen.procIndex + 1}`, stuckMs, invariant: true });
    else onHung({ device: entry[0], proc: entry[1][seen.procIndex] ?? (seen.procIndex === entry[1].length ? 'state()' : `#${seen.procIndex}`), stuckMs });
  }, POLL_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
