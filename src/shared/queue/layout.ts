// Shared-memory layout of the MPSC queue: header word indices, buffer creation,
// validation when a thread attaches, and the operations any thread may do
// (close, read counters). The drawing and the algorithm are in mpscQueue.ts.

import { EventCount } from '../wake.js';

/** Int32 words per 64-byte cache line. Hot words written by different sides get their own line. */
const LINE_WORDS = 16;

/** 'MPSQ' + layout version in the low byte, so a foreign or stale buffer is rejected on attach. */
export const QUEUE_MAGIC = 0x4d505301;

// Line 0: written once at creation (plus CLOSED, once), then only read.
export const H_MAGIC = 0;
export const H_CAPACITY = 1;
export const H_WORDS_PER_MESSAGE = 2;
export const H_CLOSED = 3;
// Line 1: the producers' ticket counter, the one word all producers CAS on.
export const H_TAIL = 1 * LINE_WORDS;
// Line 2: written only by the consumer (head position, popped count as a float64).
export const H_HEAD = 2 * LINE_WORDS;
/** Index in a Float64Array view; word 2*LINE_WORDS+2 is 8-byte aligned (byte 136). */
export const F64_POPPED = (2 * LINE_WORDS + 2) / 2;
// Line 3: "not empty" condition; producers read NOT_EMPTY_WAITERS after every push.
export const H_NOT_EMPTY_WAITERS = 3 * LINE_WORDS;
export const H_NOT_EMPTY_EPOCH = 3 * LINE_WORDS + 1;
export const H_CONSUMER_PARKS = 3 * LINE_WORDS + 2;
// Line 4: "not full" condition; the consumer reads NOT_FULL_WAITERS after every pop.
export const H_NOT_FULL_WAITERS = 4 * LINE_WORDS;
export const H_NOT_FULL_EPOCH = 4 * LINE_WORDS + 1;
export const H_PRODUCER_PARKS = 4 * LINE_WORDS + 2;
/** First word of slot 0. */
export const HEADER_WORDS = 5 * LINE_WORDS;

/**
 * Slot positions are Int32 tickets that wrap around; "is a ahead of b" is decided by the
 * sign of (a - b) | 0, which is only meaningful while capacity <= 2^30. We stay far below.
 */
export const MAX_CAPACITY_MESSAGES = 2 ** 24;
export const MAX_WORDS_PER_MESSAGE = 4096;
/** Refuse absurd allocations with a clear message instead of a RangeError from the engine. */
export const MAX_BUFFER_BYTES = 2 ** 30;

export interface QueueOptions {
  /** Requested capacity; rounded up to a power of two (at least 2, see createQueueBuffer). */
  capacityMessages: number;
  /** Int32 words in every message; fixed for the life of the buffer. */
  wordsPerMessage: number;
  /**
   * Ticket number of the first message (default 0). Only useful for tests that start
   * near the Int32 boundary to check wrap-around without pushing 2^31 messages.
   */
  firstTicket?: number;
}

/** Everything a producer or consumer needs, decoded once from the header. */
export interface QueueView {
  readonly words: Int32Array;
  readonly f64: Float64Array;
  readonly capacity: number;
  readonly mask: number;
  readonly wordsPerMessage: number;
  /** Words per slot: one sequence word followed by the payload. */
  readonly slotWords: number;
  readonly notEmpty: EventCount;
  readonly notFull: EventCount;
}

function requireInteger(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new Error(`mpscQueue: ${name} must be an integer in [${min}, ${max}], got ${String(value)}`);
  }
  return value;
}

function roundUpToPowerOfTwo(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

function bufferBytes(capacity: number, wordsPerMessage: number): number {
  return (HEADER_WORDS + capacity * (1 + wordsPerMessage)) * Int32Array.BYTES_PER_ELEMENT;
}

/** Allocates and initialises a queue buffer; hand it to any number of threads. */
export function createQueueBuffer(options: QueueOptions): SharedArrayBuffer {
  if (typeof options !== 'object' || options === null) {
    throw new Error('mpscQueue: createQueueBuffer needs { capacityMessages, wordsPerMessage }');
  }
  const requested = requireInteger('capacityMessages', options.capacityMessages, 1, MAX_CAPACITY_MESSAGES);
  const wordsPerMessage = requireInteger('wordsPerMessage', options.wordsPerMessage, 1, MAX_WORDS_PER_MESSAGE);
  const firstTicket = requireInteger('firstTicket', options.firstTicket ?? 0, -(2 ** 31), 2 ** 31 - 1);
  // Capacity 1 cannot work: a published slot's sequence (ticket + 1) would equal the
  // next ticket, so a producer could not tell "published" from "free". Hence >= 2.
  const capacity = Math.max(2, roundUpToPowerOfTwo(requested));
  const bytes = bufferBytes(capacity, wordsPerMessage);
  if (bytes > MAX_BUFFER_BYTES) {
    throw new Error(`mpscQueue: ${capacity} slots x ${wordsPerMessage} words needs ${bytes} bytes (max ${MAX_BUFFER_BYTES})`);
  }
  const sab = new SharedArrayBuffer(bytes);
  const words = new Int32Array(sab);
  words[H_CAPACITY] = capacity;
  words[H_WORDS_PER_MESSAGE] = wordsPerMessage;
  words[H_TAIL] = firstTicket;
  words[H_HEAD] = firstTicket;
  // Slot s starts out "free for the first ticket that maps to it".
  for (let k = 0; k < capacity; k++) {
    const ticket = (firstTicket + k) | 0;
    words[HEADER_WORDS + (ticket & (capacity - 1)) * (1 + wordsPerMessage)] = ticket;
  }
  // Magic last and atomically: a buffer is only valid once fully initialised.
  Atomics.store(words, H_MAGIC, QUEUE_MAGIC);
  return sab;
}

function isSharedArrayBuffer(value: unknown): value is SharedArrayBuffer {
  // instanceof fails across realms (vm contexts), the brand check does not.
  return Object.prototype.toString.call(value) === '[object SharedArrayBuffer]';
}

/** Validates a buffer made by createQueueBuffer (possibly in another thread) and decodes it. */
export function attachQueue(sab: SharedArrayBuffer): QueueView {
  if (!isSharedArrayBuffer(sab)) {
    throw new Error('mpscQueue: expected a SharedArrayBuffer from createQueueBuffer');
  }
  if (sab.byteLength < HEADER_WORDS * Int32Array.BYTES_PER_ELEMENT) {
    throw new Error(`mpscQueue: buffer of ${sab.byteLength} bytes is too small for a queue header`);
  }
  const words = new Int32Array(sab);
  if (Atomics.load(words, H_MAGIC) !== QUEUE_MAGIC) {
    throw new Error('mpscQueue: buffer was not created by createQueueBuffer (bad magic)');
  }
  const capacity = Atomics.load(words, H_CAPACITY);
  const wordsPerMessage = Atomics.load(words, H_WORDS_PER_MESSAGE);
  if (sab.byteLength !== bufferBytes(capacity, wordsPerMessage)) {
    throw new Error('mpscQueue: buffer size does not match its header (corrupt buffer?)');
  }
  return {
    words,
    f64: new Float64Array(sab, 0, HEADER_WORDS / 2),
    capacity,
    mask: capacity - 1,
    wordsPerMessage,
    slotWords: 1 + wordsPerMessage,
    notEmpty: new EventCount(words, H_NOT_EMPTY_WAITERS, H_NOT_EMPTY_EPOCH),
    notFull: new EventCount(words, H_NOT_FULL_WAITERS, H_NOT_FULL_EPOCH),
  };
}

/**
 * Marks the queue closed and wakes every parked producer and the consumer. Any thread
 * may call it. Afterwards push/tryPush return false; the consumer can still take what
 * was already published, and pop returns false instead of parking once it is empty.
 */
export function closeQueue(view: QueueView): void {
  Atomics.store(view.words, H_CLOSED, 1);
  // Unconditional notify: close is rare, and a waiter between its re-check and
  // Atomics.wait is then guaranteed to see the epoch move (see wake.ts).
  view.notEmpty.notifyAll();
  view.notFull.notifyAll();
}

export function isQueueClosed(view: QueueView): boolean {
  return Atomics.load(view.words, H_CLOSED) !== 0;
}

/** Messages claimed by producers and not yet popped (includes pushes still being written). */
export function queueSize(view: QueueView): number {
  return (Atomics.load(view.words, H_TAIL) - Atomics.load(view.words, H_HEAD)) >>> 0;
}

export interface QueueCounters {
  size: number;
  closed: boolean;
  /** Times a producer parked in Atomics.wait because the queue was full. */
  producerParks: number;
  /** Times the consumer parked in Atomics.wait because the queue was empty. */
  consumerParks: number;
  /** Producers currently parked or about to park. */
  waitingProducers: number;
  /** 1 while the consumer is parked or about to park. */
  waitingConsumers: number;
}

/** Snapshot of the shared counters; safe from any thread (each word read atomically). */
export function readQueueCounters(sab: SharedArrayBuffer): QueueCounters {
  const view = attachQueue(sab);
  const w = view.words;
  return {
    size: queueSize(view),
    closed: isQueueClosed(view),
    producerParks: Atomics.load(w, H_PRODUCER_PARKS) >>> 0,
    consumerParks: Atomics.load(w, H_CONSUMER_PARKS) >>> 0,
    waitingProducers: Atomics.load(w, H_NOT_FULL_WAITERS),
    waitingConsumers: Atomics.load(w, H_NOT_EMPTY_WAITERS),
  };
}

/**
 * Failed attempts before parking. Small on purpose: on a 2-core machine a spinning
 * thread steals the core the other side needs once threads outnumber cores, and a
 * failed attempt is ~2 atomic loads, so 100 tries is about a microsecond - long
 * enough to ride out a consumer that is mid-drain, short next to a park/wake trip.
 */
export const DEFAULT_SPIN_ITERATIONS = 100;

export interface WaitOptions {
  /** Failed attempts before Atomics.wait (default DEFAULT_SPIN_ITERATIONS; 0 = park at once). */
  spinIterations?: number;
}

export function spinIterationsFrom(options: WaitOptions): number {
  return requireInteger('spinIterations', options.spinIterations ?? DEFAULT_SPIN_ITERATIONS, 0, 1_000_000);
}

export function requireTimeoutMs(timeoutMs: unknown): number {
  if (typeof timeoutMs !== 'number' || Number.isNaN(timeoutMs) || timeoutMs < 0) {
    throw new Error(`mpscQueue: timeoutMs must be a number >= 0 or Infinity, got ${String(timeoutMs)}`);
  }
  return timeoutMs;
}
