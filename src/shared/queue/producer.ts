// Producer side of the MPSC queue: any number of threads, each with its own
// QueueProducer over the same SharedArrayBuffer. Algorithm in mpscQueue.ts.

import { deadlineAfter, remainingMs } from '../wake.js';
import {
  H_PRODUCER_PARKS,
  H_TAIL,
  HEADER_WORDS,
  attachQueue,
  closeQueue,
  isQueueClosed,
  queueSize,
  requireTimeoutMs,
  spinIterationsFrom,
  type QueueView,
  type WaitOptions,
} from './layout.js';

export class QueueProducer {
  private readonly view: QueueView;
  private readonly spinIterations: number;

  constructor(sab: SharedArrayBuffer, options: WaitOptions = {}) {
    this.view = attachQueue(sab);
    this.spinIterations = spinIterationsFrom(options);
  }

  get capacity(): number {
    return this.view.capacity;
  }

  get wordsPerMessage(): number {
    return this.view.wordsPerMessage;
  }

  /**
   * Copies msg (exactly wordsPerMessage numbers, stored as Int32 like an Int32Array
   * would) into the queue. Returns false if the queue is full or closed; never blocks.
   */
  tryPush(msg: ArrayLike<number>): boolean {
    this.checkMessage(msg);
    return !isQueueClosed(this.view) && this.claimWritePublish(msg);
  }

  /**
   * Like tryPush, but when the queue is full it retries spinIterations times and then
   * parks until the consumer has made room (backpressure: messages are never dropped).
   * Returns false only if timeoutMs elapsed or the queue is (or gets) closed.
   */
  push(msg: ArrayLike<number>, timeoutMs = Infinity): boolean {
    this.checkMessage(msg);
    requireTimeoutMs(timeoutMs);
    const { words, notFull } = this.view;
    const deadlineMs = deadlineAfter(timeoutMs);
    for (;;) {
      for (let i = 0; i <= this.spinIterations; i++) {
        if (isQueueClosed(this.view)) return false;
        if (this.claimWritePublish(msg)) return true;
      }
      // Announce, then re-check: the consumer reads the waiters word after every pop,
      // so either it sees us and notifies, or our re-check sees its pop (wake.ts).
      const key = notFull.prepareWait();
      if (isQueueClosed(this.view)) {
        notFull.cancelWait();
        return false;
      }
      if (this.claimWritePublish(msg)) {
        notFull.cancelWait();
        return true;
      }
      const leftMs = remainingMs(deadlineMs);
      if (leftMs <= 0) {
        notFull.cancelWait();
        return false;
      }
      Atomics.add(words, H_PRODUCER_PARKS, 1);
      notFull.commitWait(key, leftMs);
    }
  }

  /** Messages in the queue, including ones other producers are still writing. */
  size(): number {
    return queueSize(this.view);
  }

  isClosed(): boolean {
    return isQueueClosed(this.view);
  }

  /** Closes the queue for everyone (see closeQueue in layout.ts). */
  close(): void {
    closeQueue(this.view);
  }

  private checkMessage(msg: ArrayLike<number>): void {
    if (msg === null || typeof msg !== 'object' || msg.length !== this.view.wordsPerMessage) {
      const got = msg === null || typeof msg !== 'object' ? String(msg) : `length ${msg.length}`;
      throw new Error(`mpscQueue: message must have exactly ${this.view.wordsPerMessage} words, got ${got}`);
    }
  }

  /** One Vyukov enqueue attempt; false means full. */
  private claimWritePublish(msg: ArrayLike<number>): boolean {
    const { words, mask, slotWords, wordsPerMessage } = this.view;
    let ticket = Atomics.load(words, H_TAIL);
    for (;;) {
      const seqIndex = HEADER_WORDS + (ticket & mask) * slotWords;
      // seq - ticket: 0 = slot free for this ticket; < 0 = slot still holds the message
      // from one lap ago (full); > 0 = another producer already took this ticket.
      const lag = (Atomics.load(words, seqIndex) - ticket) | 0;
      if (lag === 0) {
        const seen = Atomics.compareExchange(words, H_TAIL, ticket, (ticket + 1) | 0);
        if (seen === ticket) {
          // The slot is ours alone until we publish. Plain writes are enough: the
          // Atomics.store below orders them before the consumer's Atomics.load of seq.
          for (let i = 0; i < wordsPerMessage; i++) words[seqIndex + 1 + i] = msg[i];
          Atomics.store(words, seqIndex, (ticket + 1) | 0);
          this.view.notEmpty.notifyIfWaiting();
          return true;
        }
        ticket = seen;
      } else if (lag < 0) {
        return false;
      } else {
        ticket = Atomics.load(words, H_TAIL);
      }
    }
  }
}
