// Parking helpers over Int32 words of a SharedArrayBuffer (futex-style).
//
// Why an "event count" instead of waiting on the data word itself: a thread that
// waits for "the queue is not empty" or "the queue is not full" has no single word
// whose value changes exactly when its condition becomes true (a slot's sequence,
// the tail, and the closed flag are different words). So each condition gets two
// words of its own:
//
//   waiters : how many threads are about to park or are parked on this condition
//   epoch   : bumped by a notifier; the word the waiters Atomics.wait on
//
// Waiter                                  Notifier
//   W1 Atomics.add(waiters, 1)              N1 make the condition true (atomic store)
//   W2 key = Atomics.load(epoch)            N2 if Atomics.load(waiters) !== 0:
//   W3 re-check the condition; if true,     N3     Atomics.add(epoch, 1)
//      cancel (waiters -= 1) and go on      N4     Atomics.notify(epoch)
//   W4 Atomics.wait(epoch, key)
//   W5 Atomics.sub(waiters, 1)
//
// No lost wake-up: all Atomics operations are sequentially consistent. If W3 does
// not see N1, W3 came before N1 in that single order, hence W1 came before N2, so
// the notifier sees waiters !== 0 and bumps the epoch after W2 read it. Then W4
// either finds epoch !== key and returns at once ("not-equal"), or it is already
// in the wait queue when N4 runs (Atomics.wait checks the value and enqueues
// atomically with respect to Atomics.notify). The waiters word is what lets the
// notifier skip N3/N4 - the expensive part - when nobody is waiting, which is
// the common case on a busy queue.

/** Two Int32 words (waiters, epoch) that implement one wait condition. */
export class EventCount {
  constructor(
    private readonly words: Int32Array,
    private readonly waitersIndex: number,
    private readonly epochIndex: number,
  ) {}

  /** W1+W2: announce the intent to park. Re-check the condition after this. */
  prepareWait(): number {
    Atomics.add(this.words, this.waitersIndex, 1);
    return Atomics.load(this.words, this.epochIndex);
  }

  /** The re-check succeeded: withdraw the announcement without parking. */
  cancelWait(): void {
    Atomics.sub(this.words, this.waitersIndex, 1);
  }

  /** W4+W5: park until notified, the epoch moved, or timeoutMs elapsed. */
  commitWait(key: number, timeoutMs: number): 'ok' | 'not-equal' | 'timed-out' {
    try {
      return Atomics.wait(this.words, this.epochIndex, key, timeoutMs);
    } finally {
      Atomics.sub(this.words, this.waitersIndex, 1);
    }
  }

  /** True if some thread is (about to be) parked; cheap enough for every operation. */
  hasWaiters(): boolean {
    return Atomics.load(this.words, this.waitersIndex) !== 0;
  }

  /** N3+N4: wake every parked waiter. Call after making the condition true. */
  notifyAll(): void {
    Atomics.add(this.words, this.epochIndex, 1);
    Atomics.notify(this.words, this.epochIndex);
  }

  /** N2-N4: the usual notifier path; does nothing (no syscall) when nobody waits. */
  notifyIfWaiting(): void {
    if (this.hasWaiters()) this.notifyAll();
  }
}

/** Milliseconds left until deadlineMs (performance.now() based); Infinity stays Infinity. */
export function remainingMs(deadlineMs: number): number {
  return deadlineMs === Infinity ? Infinity : Math.max(0, deadlineMs - performance.now());
}

/** performance.now()-based deadline for a timeout; Infinity means "no deadline". */
export function deadlineAfter(timeoutMs: number): number {
  return timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
}
