// Single-thread, model-based tests of the MPSC queue: random command sequences are
// run against the real queue and against a plain array, and must agree step by step.
// Concurrency is covered by mpscQueue.threads.test.ts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  QueueConsumer,
  QueueProducer,
  closeQueueBuffer,
  createQueueBuffer,
  readQueueCounters,
} from '../../src/shared/queue/mpscQueue.js';

interface Model {
  capacity: number;
  wordsPerMessage: number;
  items: number[][];
  closed: boolean;
  pushed: number;
  popped: number;
}

interface Real {
  sab: SharedArrayBuffer;
  producers: QueueProducer[];
  consumer: QueueConsumer;
  /** Longer than a message, with a sentinel tail that must never be overwritten. */
  out: Int32Array;
}

const SENTINEL = 0x5a5a5a5a;
const OUT_SPARE_WORDS = 3;
const int32 = fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 });

/** Stretches a random seed to the queue's message length (so commands work for any W). */
function shapeMessage(seed: readonly number[], wordsPerMessage: number): number[] {
  return Array.from({ length: wordsPerMessage }, (_, i) => seed[i % seed.length]! ^ (i * 0x9e3779b1));
}

function popped(real: Real, wordsPerMessage: number): number[] {
  expect(Array.from(real.out.subarray(wordsPerMessage))).toEqual(Array(OUT_SPARE_WORDS).fill(SENTINEL));
  return Array.from(real.out.subarray(0, wordsPerMessage));
}

function expectSameState(m: Model, r: Real): void {
  const stats = r.consumer.stats();
  expect(r.consumer.size()).toBe(m.items.length);
  expect(r.producers[0]!.size()).toBe(m.items.length);
  expect(stats).toMatchObject({ pushed: m.pushed, popped: m.popped, size: m.items.length, closed: m.closed });
  expect(readQueueCounters(r.sab)).toMatchObject({ size: m.items.length, closed: m.closed, waitingProducers: 0, waitingConsumers: 0 });
}

class PushCommand implements fc.Command<Model, Real> {
  constructor(
    private readonly seed: number[],
    private readonly producerIndex: number,
    private readonly mode: 'tryPush' | 'push0',
  ) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const msg = shapeMessage(this.seed, m.wordsPerMessage);
    const producer = r.producers[this.producerIndex % r.producers.length]!;
    const accepted = this.mode === 'tryPush' ? producer.tryPush(msg) : producer.push(msg, 0);
    const expected = !m.closed && m.items.length < m.capacity;
    expect(accepted).toBe(expected);
    if (accepted) {
      m.items.push(msg);
      m.pushed++;
    }
    expectSameState(m, r);
  }
  toString(): string {
    return `${this.mode}(p${this.producerIndex}, [${this.seed.join(',')}])`;
  }
}

class PopCommand implements fc.Command<Model, Real> {
  constructor(private readonly mode: 'tryPop' | 'pop0') {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const got = this.mode === 'tryPop' ? r.consumer.tryPop(r.out) : r.consumer.pop(r.out, 0);
    expect(got).toBe(m.items.length > 0);
    if (got) {
      expect(popped(r, m.wordsPerMessage)).toEqual(m.items.shift());
      m.popped++;
    }
    expectSameState(m, r);
  }
  toString(): string {
    return this.mode;
  }
}

/**
 * drain (each message copied out to `out`) or drainInPlace (the reader sees each message where it
 * lies in the queue; copied here for the check): both take the same messages as the model.
 */
class DrainCommand implements fc.Command<Model, Real> {
  constructor(private readonly maxMessages: number, private readonly inPlace: boolean) {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    const seen: number[][] = [];
    const count = this.inPlace
      ? r.consumer.drainInPlace({ read: (words, at) => seen.push(Array.from(words.subarray(at, at + m.wordsPerMessage))) }, this.maxMessages)
      : r.consumer.drain(r.out, () => seen.push(popped(r, m.wordsPerMessage)), this.maxMessages);
    const expected = m.items.splice(0, this.maxMessages);
    expect(count).toBe(expected.length);
    expect(seen).toEqual(expected);
    m.popped += count;
    expectSameState(m, r);
  }
  toString(): string {
    return `${this.inPlace ? 'drainInPlace' : 'drain'}(${this.maxMessages})`;
  }
}

class CloseCommand implements fc.Command<Model, Real> {
  constructor(private readonly by: 'producer' | 'consumer' | 'buffer') {}
  check(): boolean {
    return true;
  }
  run(m: Model, r: Real): void {
    if (this.by === 'producer') r.producers[0]!.close();
    else if (this.by === 'consumer') r.consumer.close();
    else closeQueueBuffer(r.sab);
    m.closed = true;
    expect(r.consumer.isClosed()).toBe(true);
    expect(r.producers.every((p) => p.isClosed())).toBe(true);
    expectSameState(m, r);
  }
  toString(): string {
    return `close(by ${this.by})`;
  }
}

const pushArb = fc
  .tuple(fc.array(int32, { minLength: 1, maxLength: 5 }), fc.nat(3), fc.constantFrom('tryPush' as const, 'push0' as const))
  .map(([seed, producer, mode]): fc.Command<Model, Real> => new PushCommand(seed, producer, mode));
const popArb = fc
  .constantFrom('tryPop' as const, 'pop0' as const)
  .map((mode): fc.Command<Model, Real> => new PopCommand(mode));
const drainArb = fc
  .oneof(fc.nat(5), fc.constant(Infinity))
  .map((max): fc.Command<Model, Real> => new DrainCommand(max, false));
const drainInPlaceArb = fc
  .oneof(fc.nat(5), fc.constant(Infinity))
  .map((max): fc.Command<Model, Real> => new DrainCommand(max, true));
const closeArb = fc
  .constantFrom('producer' as const, 'consumer' as const, 'buffer' as const)
  .map((by): fc.Command<Model, Real> => new CloseCommand(by));

/** Pushes outweigh pops so runs reach "full"; close is rare so most runs have a long open phase. */
const commandArb = fc.oneof(
  { arbitrary: pushArb, weight: 10 },
  { arbitrary: popArb, weight: 5 },
  { arbitrary: drainArb, weight: 2 },
  { arbitrary: drainInPlaceArb, weight: 2 },
  { arbitrary: closeArb, weight: 1 },
);

/** Ticket numbers that start near both Int32 wrap points, so sequences wrap within a run. */
const firstTicketArb = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 2 ** 31 - 100, max: 2 ** 31 - 1 }),
  fc.integer({ min: -100, max: -1 }),
);

describe('mpscQueue (single-thread model)', () => {
  it('agrees with an array model for random tryPush/push/tryPop/pop/drain/drainInPlace/close sequences', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 6 }),
        firstTicketArb,
        fc.integer({ min: 1, max: 3 }),
        fc.commands([commandArb], { maxCommands: 300 }),
        (capacityMessages, wordsPerMessage, firstTicket, producerCount, cmds) => {
          const sab = createQueueBuffer({ capacityMessages, wordsPerMessage, firstTicket });
          const consumer = new QueueConsumer(sab, { spinIterations: 2 });
          const producers = Array.from({ length: producerCount }, () => new QueueProducer(sab, { spinIterations: 2 }));
          const out = new Int32Array(wordsPerMessage + OUT_SPARE_WORDS).fill(SENTINEL);
          const model: Model = { capacity: consumer.capacity, wordsPerMessage, items: [], closed: false, pushed: 0, popped: 0 };
          fc.modelRun(() => ({ model, real: { sab, producers, consumer, out } }), cmds);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('rounds capacity up to a power of two (minimum 2) and holds exactly that many', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 1, max: 4 }), (requested, words) => {
        const sab = createQueueBuffer({ capacityMessages: requested, wordsPerMessage: words });
        const producer = new QueueProducer(sab);
        const capacity = producer.capacity;
        expect(capacity).toBeGreaterThanOrEqual(Math.max(2, requested));
        expect(capacity & (capacity - 1)).toBe(0);
        expect(capacity < 2 * Math.max(2, requested)).toBe(true);
        const msg = new Array<number>(words).fill(7);
        for (let i = 0; i < capacity; i++) expect(producer.tryPush(msg)).toBe(true);
        expect(producer.tryPush(msg)).toBe(false);
        expect(producer.push(msg, 0)).toBe(false);
      }),
    );
  });

  it('stores numbers the way an Int32Array does (ToInt32)', () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { minLength: 1, maxLength: 8 }), (values) => {
        const sab = createQueueBuffer({ capacityMessages: 2, wordsPerMessage: values.length });
        const out = new Int32Array(values.length);
        expect(new QueueProducer(sab).tryPush(values)).toBe(true);
        expect(new QueueConsumer(sab).tryPop(out)).toBe(true);
        expect(Array.from(out)).toEqual(Array.from(Int32Array.from(values)));
      }),
    );
  });

  it('accepts any ArrayLike message (arrays, typed arrays, array-like objects)', () => {
    const sab = createQueueBuffer({ capacityMessages: 4, wordsPerMessage: 2 });
    const producer = new QueueProducer(sab);
    const consumer = new QueueConsumer(sab);
    expect(producer.tryPush([1, 2])).toBe(true);
    expect(producer.tryPush(Int32Array.of(3, 4))).toBe(true);
    expect(producer.tryPush({ length: 2, 0: 5, 1: 6 })).toBe(true);
    const seen: number[][] = [];
    consumer.drain(new Int32Array(2), (msg) => seen.push(Array.from(msg)));
    expect(seen).toEqual([[1, 2], [3, 4], [5, 6]]);
  });

  it('after close: pushes fail even with room, the consumer still drains, pop does not park', () => {
    const sab = createQueueBuffer({ capacityMessages: 8, wordsPerMessage: 1 });
    const producer = new QueueProducer(sab);
    const consumer = new QueueConsumer(sab);
    expect(producer.push([1])).toBe(true);
    expect(producer.push([2])).toBe(true);
    consumer.close();
    expect(producer.tryPush([3])).toBe(false);
    expect(producer.push([3])).toBe(false); // Infinity timeout, must not park
    const out = new Int32Array(1);
    expect(consumer.pop(out)).toBe(true);
    expect(out[0]).toBe(1);
    expect(consumer.tryPop(out)).toBe(true);
    expect(out[0]).toBe(2);
    expect(consumer.pop(out)).toBe(false); // Infinity timeout, must not park
    expect(consumer.stats()).toMatchObject({ pushed: 2, popped: 2, size: 0, closed: true, consumerParks: 0 });
  });

  it('a second consumer attached later continues where the first stopped', () => {
    const sab = createQueueBuffer({ capacityMessages: 4, wordsPerMessage: 1, firstTicket: 2 ** 31 - 2 });
    const producer = new QueueProducer(sab);
    for (let i = 0; i < 4; i++) producer.push([i]);
    const out = new Int32Array(1);
    expect(new QueueConsumer(sab).tryPop(out) && out[0]).toBe(0);
    const next = new QueueConsumer(sab);
    expect(next.tryPop(out) && out[0]).toBe(1);
    expect(next.stats()).toMatchObject({ pushed: 4, popped: 2, size: 2 });
  });
});
