// A start line for bench workers: each worker checks in, then parks until the main
// thread opens the gate, so thread start-up (~tens of ms, module loading) stays out
// of the measured interval and all producers start at once.
import { setTimeout as sleep } from 'node:timers/promises';

const OPEN = 0;
const READY = 1;

export function createGate(): SharedArrayBuffer {
  return new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
}

/** Worker side: check in and park until the gate opens. */
export function arriveAndWait(gate: SharedArrayBuffer): void {
  const words = new Int32Array(gate);
  Atomics.add(words, READY, 1);
  while (Atomics.load(words, OPEN) === 0) Atomics.wait(words, OPEN, 0);
}

/** Main side: wait (without blocking the event loop, so worker errors surface) for n check-ins. */
export async function waitForArrivals(gate: SharedArrayBuffer, n: number, failed: () => Error | undefined): Promise<void> {
  const words = new Int32Array(gate);
  while (Atomics.load(words, READY) < n) {
    const error = failed();
    if (error) throw error;
    await sleep(1);
  }
}

export function openGate(gate: SharedArrayBuffer): void {
  const words = new Int32Array(gate);
  Atomics.store(words, OPEN, 1);
  Atomics.notify(words, OPEN);
}
