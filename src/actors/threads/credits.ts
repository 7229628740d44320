/**
 * Credit windows: each VM actor may have at most `windowOps` ops pushed that the core has not
 * consumed yet. Only the current VM's ops are consumed, so without a window the other VMs would
 * fill the VMM's per-VM buffers without bound; with it, those actors park until their VM runs.
 *
 * Shared memory: one Int32 cache line (16 words) per VM id; line 0 is unused.
 *
 *   line v  [16v+0] CONSUMED  ops of VM v handed to the core     written by the VMM (Atomics.add)
 *           [16v+1] WAKE_AT   CONSUMED value the parked VM        written by the VM actor
 *                             wants to be woken at
 *           [16v+2] WAITING   1 while the VM actor parks          written by the VM actor
 *           [16v+3] PARKS     times the VM actor parked           written by the VM actor
 *
 * Counters are Int32 and wrap; differences are taken with `| 0`, so a window (far below 2^30)
 * is always measured right.
 *
 * Parking without lost wake-ups (every access is an Atomics operation, so they are all in one
 * sequentially consistent order):
 *   VM actor:  store WAKE_AT, store WAITING = 1, load CONSUMED = c;
 *              if the window has room now: WAITING = 0, go on; else Atomics.wait(CONSUMED, c).
 *   VMM:       add CONSUMED; load WAITING; if 1 and CONSUMED reached WAKE_AT: notify.
 * If the actor's load missed the VMM's add, its WAITING store came first, so the VMM sees it;
 * if the add landed after the load, CONSUMED != c and Atomics.wait returns at once. The VMM
 * notifies only when someone waits, and only once half the window is free, so a parked actor
 * comes back to push a batch rather than one op at a time.
 */
const LINE_WORDS = 16;
const CONSUMED = 0;
const WAKE_AT = 1;
const WAITING = 2;
const PARKS = 3;

export function createCreditBuffer(vmIdsMax: number): SharedArrayBuffer {
  return new SharedArrayBuffer((vmIdsMax + 1) * LINE_WORDS * Int32Array.BYTES_PER_ELEMENT);
}

/** The VMM's side: counts each op it hands to the core, wakes the VM actor when asked to. */
export class CreditLedger {
  private readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  consumed(vmId: number): void {
    const base = vmId * LINE_WORDS;
    const words = this.words;
    const now = (Atomics.add(words, base + CONSUMED, 1) + 1) | 0;
    if (Atomics.load(words, base + WAITING) !== 0 && ((now - Atomics.load(words, base + WAKE_AT)) | 0) >= 0) {
      Atomics.notify(words, base + CONSUMED);
    }
  }

  consumedCount(vmId: number): number {
    return Atomics.load(this.words, vmId * LINE_WORDS + CONSUMED) >>> 0;
  }
}

/** A VM actor's side of its own window. */
export class CreditWindow {
  private readonly words: Int32Array;
  private readonly base: number;

  constructor(buffer: SharedArrayBuffer, vmId: number, readonly windowOps: number) {
    if (!Number.isInteger(windowOps) || windowOps < 2) throw new RangeError(`credit window must be at least 2 ops, got ${windowOps}`);
    this.words = new Int32Array(buffer);
    this.base = vmId * LINE_WORDS;
  }

  /** True if one more op may be pushed after `pushed` ops. */
  hasRoom(pushed: number): boolean {
    return ((pushed - Atomics.load(this.words, this.base + CONSUMED)) | 0) < this.windowOps;
  }

  /**
   * Parks until half the window is free, or timeoutMs passes (so the actor can look at its
   * control messages). Returns whether there is room now.
   */
  park(pushed: number, timeoutMs: number): boolean {
    const { words, base } = this;
    Atomics.store(words, base + WAKE_AT, (pushed - this.windowOps / 2) | 0);
    Atomics.store(words, base + WAITING, 1);
    const consumed = Atomics.load(words, base + CONSUMED);
    if (((pushed - consumed) | 0) >= this.windowOps) {
      Atomics.add(words, base + PARKS, 1);
      Atomics.wait(words, base + CONSUMED, consumed, timeoutMs);
    }
    Atomics.store(words, base + WAITING, 0);
    return this.hasRoom(pushed);
  }

  get consumed(): number {
    return Atomics.load(this.words, this.base + CONSUMED) >>> 0;
  }

  get parks(): number {
    return Atomics.load(this.words, this.base + PARKS) >>> 0;
  }
}
