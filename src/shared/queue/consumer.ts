// Consumer side of the MPSC queue: exactly one QueueConsumer may pop from a buffer
// at a time (the single-consumer half of the algorithm in mpscQueue.ts relies on it).

import { deadlineAfter, remainingMs } from '../wake.js';
import {
  F64_POPPED,
  H_CONSUMER_PARKS,
  H_HEAD,
  H_PRODUCER_PARKS,
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

export interface QueueStats {
  /** Messages pushed since creation (popped + size; counts pushes still being written). */
  pushed: number;
  /** Messages popped since creation. */
  popped: number;
  size: number;
  /** Times a producer parked because the queue was full. */
  producerParks: number;
  /** Times the consumer parked because the queue was empty. */
  consumerParks: number;
  closed: boolean;
}

/** Reads messages where they lie in the queue (QueueConsumer.drainInPlace). */
export interface MessageReader {
  /** The message is words[at .. at + wordsPerMessage); it is only valid during this call. */
  read(words: Int32Array, at: number): void;
}

export class QueueConsumer {
  private readonly view: QueueView;
  private readonly spinIterations: number;
  /** Wake parked producers only once this much room is free, so they come back to work in a batch. */
  private readonly lowWaterMessages: number;
  /** Local copy of H_HEAD: only this consumer writes it, so there is nothing to re-read. */
  private head: number;
  /** Float64 (exact to 2^53) because Int32 tickets wrap after 2^32 messages. */
  private popped: number;

  constructor(sab: SharedArrayBuffer, options: WaitOptions = {}) {
    this.view = attachQueue(sab);
    this.spinIterations = spinIterationsFrom(options);
    this.lowWaterMessages = this.view.capacity / 2;
    this.head = Atomics.load(this.view.words, H_HEAD);
    this.popped = this.view.f64[F64_POPPED];
  }

  get capacity(): number {
    return this.view.capacity;
  }

  get wordsPerMessage(): number {
    return this.view.wordsPerMessage;
  }

  /** Copies the oldest published message into out[0..wordsPerMessage). False if none is ready. */
  tryPop(out: Int32Array): boolean {
    this.checkOut(out);
    return this.takeOne(out);
  }

  /**
   * Like tryPop, but when the queue is empty it retries spinIterations times and then
   * parks until a producer publishes. Returns false on timeout, or when the queue is
   * closed and nothing published is left.
   */
  pop(out: Int32Array, timeoutMs = Infinity): boolean {
    this.checkOut(out);
    requireTimeoutMs(timeoutMs);
    const { words, notEmpty } = this.view;
    const deadlineMs = deadlineAfter(timeoutMs);
    for (;;) {
      for (let i = 0; i <= this.spinIterations; i++) {
        if (this.takeOne(out)) return true;
      }
      // Announce, then re-check: every producer reads the waiters word after it
      // publishes, so either it sees us and notifies, or our re-check sees its message.
      const key = notEmpty.prepareWait();
      if (this.takeOne(out)) {
        notEmpty.cancelWait();
        return true;
      }
      const leftMs = isQueueClosed(this.view) ? 0 : remainingMs(deadlineMs);
      if (leftMs <= 0) {
        notEmpty.cancelWait();
        return false;
      }
      Atomics.add(words, H_CONSUMER_PARKS, 1);
      notEmpty.commitWait(key, leftMs);
    }
  }

  /**
   * Pops up to maxMessages ready messages without blocking, calling onMessage for each.
   * out is reused for every message: copy what you keep. Returns how many were popped.
   * If onMessage throws, that message counts as consumed and the error propagates.
   */
  drain(out: Int32Array, onMessage: (msg: Int32Array) => void, maxMessages = Infinity): number {
    this.checkOut(out);
    requireMaxMessages(maxMessages);
    let count = 0;
    while (count < maxMessages && this.takeOne(out)) {
      count++;
      onMessage(out);
    }
    return count;
  }

  /**
   * Waits without taking anything: spins spinIterations times, then parks until a message is
   * published, the queue is closed, `woken()` turns true (whoever makes it true calls
   * ConsumerWaker.wake after, so the park cannot miss it), or timeoutMs passes. Returns true if
   * a message is ready to take. For a consumer that has other news to watch for besides
   * messages: the VMM actor, waiting for a VM's op, stops for an IRQ the PIC actor raised.
   */
  awaitMessage(timeoutMs: number, woken: () => boolean = nothingElse): boolean {
    requireTimeoutMs(timeoutMs);
    for (let i = 0; i <= this.spinIterations; i++) {
      if (this.messageReady()) return true;
      if (woken()) return false;
    }
    const { notEmpty } = this.view;
    // Announce, then re-check everything that ends the wait (the argument is wake.ts's).
    const key = notEmpty.prepareWait();
    if (this.messageReady() || woken() || isQueueClosed(this.view) || timeoutMs === 0) {
      notEmpty.cancelWait();
      return this.messageReady();
    }
    Atomics.add(this.view.words, H_CONSUMER_PARKS, 1);
    notEmpty.commitWait(key, timeoutMs);
    return this.messageReady();
  }

  /**
   * Like drain, without the copy: hands each ready message to `reader.read` where it lies in
   * the queue, and releases its slot after the call. The head, the popped count and the wake-up
   * of parked producers are published once for the whole batch, not per message: each is a store
   * to (or a load of) a line the producers share, and the batch is the consumer's hot path.
   * If `read` throws, that message counts as consumed and the error propagates.
   */
  drainInPlace(reader: MessageReader, maxMessages = Infinity): number {
    requireMaxMessages(maxMessages);
    const { words, mask, slotWords, capacity } = this.view;
    let ticket = this.head;
    let count = 0;
    /** The seq word of the slot being read (-1: none): a throwing reader still releases it. */
    let reading = -1;
    try {
      while (count < maxMessages) {
        const seqIndex = HEADER_WORDS + (ticket & mask) * slotWords;
        if (Atomics.load(words, seqIndex) !== ((ticket + 1) | 0)) break;
        reading = seqIndex;
        reader.read(words, seqIndex + 1);
        reading = -1;
        Atomics.store(words, seqIndex, (ticket + capacity) | 0);
        ticket = (ticket + 1) | 0;
        count++;
      }
    } finally {
      if (reading >= 0) {
        Atomics.store(words, reading, (ticket + capacity) | 0);
        ticket = (ticket + 1) | 0;
        count++;
      }
      if (count > 0) this.advance(ticket, count);
    }
    return count;
  }

  /** Messages in the queue, including ones producers are still writing. */
  size(): number {
    return queueSize(this.view);
  }

  stats(): QueueStats {
    const size = this.size();
    return {
      pushed: this.popped + size,
      popped: this.popped,
      size,
      producerParks: Atomics.load(this.view.words, H_PRODUCER_PARKS) >>> 0,
      consumerParks: Atomics.load(this.view.words, H_CONSUMER_PARKS) >>> 0,
      closed: isQueueClosed(this.view),
    };
  }

  isClosed(): boolean {
    return isQueueClosed(this.view);
  }

  /** Closes the queue for everyone (see closeQueue in layout.ts). */
  close(): void {
    closeQueue(this.view);
  }

  private checkOut(out: Int32Array): void {
    if (!(out instanceof Int32Array) || out.length < this.view.wordsPerMessage) {
      throw new Error(`mpscQueue: out must be an Int32Array of at least ${this.view.wordsPerMessage} words`);
    }
  }

  /** The message at the head is published (the consumer may take it). */
  private messageReady(): boolean {
    const { words, mask, slotWords } = this.view;
    return Atomics.load(words, HEADER_WORDS + (this.head & mask) * slotWords) === ((this.head + 1) | 0);
  }

  /** One Vyukov dequeue (single consumer, so no CAS); false means nothing published at head. */
  private takeOne(out: Int32Array): boolean {
    const { words, mask, slotWords, wordsPerMessage, capacity } = this.view;
    const ticket = this.head;
    const seqIndex = HEADER_WORDS + (ticket & mask) * slotWords;
    // ticket + 1 = published. Anything else (ticket: free or claimed but not yet
    // written) means the next message in ticket order is not ready.
    if (Atomics.load(words, seqIndex) !== ((ticket + 1) | 0)) return false;
    for (let i = 0; i < wordsPerMessage; i++) out[i] = words[seqIndex + 1 + i];
    // Hand the slot to the producer one lap ahead. The reads above happen before
    // this store, so that producer's writes cannot overwrite data we still read.
    Atomics.store(words, seqIndex, (ticket + capacity) | 0);
    this.advance((ticket + 1) | 0, 1);
    return true;
  }

  /** `count` slots were released, up to `head`: publish the head and the count, wake producers if there is room now. */
  private advance(head: number, count: number): void {
    this.head = head;
    Atomics.store(this.view.words, H_HEAD, head);
    this.popped += count;
    this.view.f64[F64_POPPED] = this.popped;
    if (this.view.notFull.hasWaiters() && queueSize(this.view) <= this.lowWaterMessages) {
      this.view.notFull.notifyAll();
    }
  }
}

const nothingElse = (): boolean => false;

function requireMaxMessages(maxMessages: number): void {
  if (!(maxMessages === Infinity || (Number.isInteger(maxMessages) && maxMessages >= 0))) {
    throw new Error(`mpscQueue: maxMessages must be an integer >= 0 or Infinity, got ${String(maxMessages)}`);
  }
}
