/**
 * Credit windows: each VM actor may have at most `windowOps` ops pushed that the core has not
 * consumed yet. Only the current VM's ops are consumed, so without a window the other VMs would
 * fill the VMM's per-VM buffers without bound; with it, those actors park until their VM runs.
 *
 * Shared memory: one Int32 cache line (16 words) per VM id; line 0 is unused.
 *
 *   line v  [16v+0] CONSUMED  ops of VM v handed to the core,     written by the VMM (Atomics.store)
 *                             published in batches (see below)
 *           [16v+1] WAKE_AT   CONSUMED value at which the VMM     written by the VM actor
 *                             wakes the parked VM actor
 *           [16v+2] WAITING   1 while the VM actor parks          set by the VM actor, cleared by
 *                                                               either side
 *           [16v+3] PARKS     times the VM actor parked           written by the VM actor
 *
 * Counters are Int32 and wrap; differences are taken with `| 0`, so a window (far below 2^30)
 * is always measured right.
 *
 * Batching, both sides (the line is shared by two cores: each write by one side costs the other
 * a cache miss on its next read). The VMM counts consumption locally and publishes CONSUMED every
 * `publishEveryOps` ops of a VM, and for every VM before it waits for an op (flush), so a parked
 * actor is never left waiting on credit the VMM holds back. The VM actor reads CONSUMED only when
 * the credit it last saw is used up. A published CONSUMED is never ahead of the core, so the
 * window still bounds what the VMM buffers.
 *
 * Parking without lost wake-ups (every access is an Atomics operation, so they are all in one
 * sequentially consistent order):
 *   VM actor:  store WAKE_AT, store WAITING = 1, load CONSUMED = c;
 *              if the window has room now: WAITING = 0, go on; else Atomics.wait(CONSUMED, c).
 *   VMM:       store CONSUMED; load WAITING; if 1 and CONSUMED reached WAKE_AT: set WAITING
 *              from 1 to 0 (compareExchange: once per park) and notify.
 * If the actor's load missed the VMM's store, its WAITING store came first, so the VMM sees it;
 * if the store landed after the load, CONSUMED != c and Atomics.wait returns at once. The VMM
 * notifies only when someone waits, and only once that VM's ops are about to run out (a quarter
 * window left): a parked actor looks at its credit by itself, timed by how fast its ops were
 * consumed, and comes back once half the window is free, to push a batch rather than one op at
 * a time (CreditWindow.park). Before the VMM waits for a VM's op it has consumed every op that
 * VM pushed, so its flush wakes that actor: no wait on an op can outlast the actor's park.
 */
const LINE_WORDS = 16;
const CONSUMED = 0;
const WAKE_AT = 1;
const WAITING = 2;
const PARKS = 3;

export function createCreditBuffer(vmIdsMax: number): SharedArrayBuffer {
  return new SharedArrayBuffer((vmIdsMax + 1) * LINE_WORDS * Int32Array.BYTES_PER_ELEMENT);
}

/**
 * Wakes every parked VM actor without giving it credit, so that it turns its event loop and
 * answers a control message (stats, stop) now rather than at the end of its park. A VM actor
 * parks for long (VM_PARK_MS) to stay off the CPUs while its VM does not run; the orchestrator
 * rings this doorbell after it sends the VM actors a control message.
 */
export function wakeParkedVmActors(buffer: SharedArrayBuffer): void {
  const words = new Int32Array(buffer);
  for (let base = LINE_WORDS; base < words.length; base += LINE_WORDS) {
    if (Atomics.load(words, base + WAITING) !== 0) Atomics.notify(words, base + CONSUMED);
  }
}

/** Ops consumed between two publications of a VM's CONSUMED, at most (fewer for small windows). */
export const PUBLISH_EVERY_OPS_MAX = 64;

/** The publication stride for a window: a power of two (a mask test per op), at most a quarter window. */
export function publishEveryOps(windowOps: number): number {
  // A quarter window: a parked actor (woken at half a window) still finds ops queued for the core.
  const bound = Math.max(1, Math.min(PUBLISH_EVERY_OPS_MAX, Math.floor(windowOps / 4)));
  let stride = 1;
  while (stride * 2 <= bound) stride *= 2;
  return stride;
}

/**
 * The VMM's side: counts each op it hands to the core, publishes the counts in batches, wakes parked actors.
 * Counting is one increment and one mask test per op: a VM's count is published each time it
 * reaches a multiple of the stride, and `flush` publishes every count that moved since.
 */
export class CreditLedger {
  private readonly words: Int32Array;
  /** Per VM id: ops consumed (Int32, wraps like CONSUMED), and the count last published. */
  private readonly consumedOps: Int32Array;
  private readonly publishedOps: Int32Array;
  private readonly publishMask: number;
  /** Parked actors woken (Atomics.notify), and the wall-clock time those calls took. */
  wakes = 0;
  wakeMs = 0;

  constructor(buffer: SharedArrayBuffer, windowOps: number) {
    this.words = new Int32Array(buffer);
    const vmIds = this.words.length / LINE_WORDS;
    this.consumedOps = new Int32Array(vmIds);
    this.publishedOps = new Int32Array(vmIds);
    for (let id = 0; id < vmIds; id++) {
      this.consumedOps[id] = Atomics.load(this.words, id * LINE_WORDS + CONSUMED);
      this.publishedOps[id] = this.consumedOps[id]!;
    }
    this.publishMask = publishEveryOps(windowOps) - 1;
  }

  consumed(vmId: number): void {
    const now = (this.consumedOps[vmId]! + 1) | 0;
    this.consumedOps[vmId] = now;
    if ((now & this.publishMask) === 0) this.publish(vmId, now);
  }

  /** Publishes every VM's consumption: before the VMM waits, and at the end of a slice. */
  flush(): void {
    const { consumedOps, publishedOps } = this;
    for (let id = 1; id < consumedOps.length; id++) if (consumedOps[id] !== publishedOps[id]) this.publish(id, consumedOps[id]!);
  }

  consumedCount(vmId: number): number {
    return this.consumedOps[vmId]! >>> 0;
  }

  private publish(vmId: number, now: number): void {
    const base = vmId * LINE_WORDS;
    const words = this.words;
    this.publishedOps[vmId] = now;
    Atomics.store(words, base + CONSUMED, now);
    // One notify per park: taking WAITING back to 0 here keeps the next publications (the actor may
    // need milliseconds to get a CPU) from paying for Atomics.notify again.
    if (Atomics.load(words, base + WAITING) !== 0 && ((now - Atomics.load(words, base + WAKE_AT)) | 0) >= 0
      && Atomics.compareExchange(words, base + WAITING, 1, 0) === 1) {
      // Timed: V8 serializes every Atomics.wait and notify of the process on one lock, so a wake
      // can hold the VMM up while another thread's wait holds it (see the README's Threads section).
      const startMs = performance.now();
      Atomics.notify(words, base + CONSUMED);
      this.wakeMs += performance.now() - startMs;
      this.wakes++;
    }
  }
}

/** The shortest poll of a parked VM actor (below it, Atomics.wait's own cost dominates). */
const POLL_MIN_MS = 1;

/** A VM actor's side of its own window. */
export class CreditWindow {
  private readonly words: Int32Array;
  private readonly base: number;
  /** The VMM wakes a parked actor only once no more than this many of its ops are left to consume. */
  private readonly urgentOps: number;
  /** How fast the core consumed this VM's ops over the last park-and-push cycle (ops per ms; 0: unknown). */
  private opsPerMs = 0;
  private cycleStartMs = -1;
  private cycleStartConsumed = 0;

  constructor(buffer: SharedArrayBuffer, vmId: number, readonly windowOps: number) {
    if (!Number.isInteger(windowOps) || windowOps < 2) throw new RangeError(`credit window must be at least 2 ops, got ${windowOps}`);
    this.words = new Int32Array(buffer);
    this.base = vmId * LINE_WORDS;
    this.urgentOps = Math.floor(windowOps / 4);
  }

  /** The push count up to which the window had room when CONSUMED was last read. */
  private roomUntil = 0;

  /** True if one more op may be pushed after `pushed` ops (reads CONSUMED only when the last credit is used up). */
  hasRoom(pushed: number): boolean {
    if (((this.roomUntil - pushed) | 0) > 0) return true;
    this.roomUntil = (Atomics.load(this.words, this.base + CONSUMED) + this.windowOps) | 0;
    return ((this.roomUntil - pushed) | 0) > 0;
  }

  /**
   * Parks until half the window is free, timeoutMs passes, or the doorbell rings
   * (wakeParkedVmActors). Returns whether there is room now.
   *
   * The actor looks at its credit by itself, at the time the core's last rate of consumption
   * says half the window will be free (then again, sooner or later as the credit grew or not);
   * the VMM wakes it only when its ops are about to run out (urgentOps left), and before it
   * waits for one of them. A wake is an Atomics.notify on the VMM's thread, which V8 serializes
   * with every Atomics.wait of the process on one lock: measured on a loaded 2-core machine, the
   * VMM spent 8% of its wall time in them when it woke each actor at half a window.
   */
  park(pushed: number, timeoutMs: number): boolean {
    const { words, base } = this;
    Atomics.store(words, base + WAKE_AT, (pushed - this.urgentOps) | 0);
    Atomics.store(words, base + WAITING, 1);
    let consumed = Atomics.load(words, base + CONSUMED);
    if (((pushed - consumed) | 0) >= this.windowOps) {
      Atomics.add(words, base + PARKS, 1);
      const startMs = performance.now();
      const startConsumed = consumed;
      let pollMs = this.pollMs(pushed, consumed, this.opsPerMs, timeoutMs);
      for (;;) {
        const leftMs = timeoutMs - (performance.now() - startMs);
        if (leftMs <= 0) break;
        // 'ok': the VMM (this VM's ops are running out) or the doorbell woke it.
        if (Atomics.wait(words, base + CONSUMED, consumed, Math.min(pollMs, leftMs)) === 'ok') break;
        const before = consumed;
        consumed = Atomics.load(words, base + CONSUMED);
        if (((pushed - consumed) | 0) <= this.windowOps / 2 || Atomics.load(words, base + WAITING) === 0) break;
        // The credit grew: poll again when, at this park's rate, half the window is free; it did
        // not: the VM is not running now, poll half as often (the VMM wakes it if it runs again).
        const elapsedMs = performance.now() - startMs;
        pollMs = consumed !== before && elapsedMs > 0
          ? this.pollMs(pushed, consumed, ((consumed - startConsumed) | 0) / elapsedMs, timeoutMs)
          : 2 * pollMs;
      }
    }
    Atomics.store(words, base + WAITING, 0);
    this.noteCycle();
    return this.hasRoom(pushed);
  }

  /** How long until half the window is free at `opsPerMs` (the whole park when the rate is unknown). */
  private pollMs(pushed: number, consumed: number, opsPerMs: number, timeoutMs: number): number {
    if (!(opsPerMs > 0)) return timeoutMs;
    return Math.max(POLL_MIN_MS, (((pushed - consumed) | 0) - this.windowOps / 2) / opsPerMs);
  }

  /** The rate of consumption since the last park ended, for the next park's first poll. */
  private noteCycle(): void {
    const nowMs = performance.now();
    const consumed = Atomics.load(this.words, this.base + CONSUMED);
    if (this.cycleStartMs >= 0 && nowMs > this.cycleStartMs) {
      this.opsPerMs = ((consumed - this.cycleStartConsumed) | 0) / (nowMs - this.cycleStartMs);
    }
    this.cycleStartMs = nowMs;
    this.cycleStartConsumed = consumed;
  }

  get consumed(): number {
    return Atomics.load(this.words, this.base + CONSUMED) >>> 0;
  }

  get parks(): number {
    return Atomics.load(this.words, this.base + PARKS) >>> 0;
  }
}
