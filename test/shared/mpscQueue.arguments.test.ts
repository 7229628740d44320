// The MPSC queue's argument checks and failure behaviour: bad options, foreign buffers,
// wrong-sized messages, and callbacks that throw. The model-based tests are in
// mpscQueue.property.test.ts.

import { describe, expect, it } from 'vitest';
import {
  MAX_CAPACITY_MESSAGES,
  MAX_WORDS_PER_MESSAGE,
  QueueConsumer,
  QueueProducer,
  createQueueBuffer,
} from '../../src/shared/queue/mpscQueue.js';

describe('mpscQueue argument checks', () => {
  const validOptions = { capacityMessages: 4, wordsPerMessage: 2 };

  it.each([0, -1, 1.5, Number.NaN, Infinity, MAX_CAPACITY_MESSAGES + 1, '8'])('rejects capacityMessages %s', (bad) => {
    expect(() => createQueueBuffer({ ...validOptions, capacityMessages: bad as number })).toThrow(/capacityMessages/);
  });

  it.each([0, -2, 2.5, Number.NaN, MAX_WORDS_PER_MESSAGE + 1])('rejects wordsPerMessage %s', (bad) => {
    expect(() => createQueueBuffer({ ...validOptions, wordsPerMessage: bad })).toThrow(/wordsPerMessage/);
  });

  it('rejects a bad firstTicket, missing options and oversized buffers', () => {
    expect(() => createQueueBuffer({ ...validOptions, firstTicket: 2 ** 31 })).toThrow(/firstTicket/);
    expect(() => createQueueBuffer(undefined as unknown as typeof validOptions)).toThrow(/capacityMessages/);
    expect(() => createQueueBuffer({ capacityMessages: MAX_CAPACITY_MESSAGES, wordsPerMessage: MAX_WORDS_PER_MESSAGE })).toThrow(/bytes/);
  });

  it('rejects buffers that are not queues', () => {
    const good = createQueueBuffer(validOptions);
    expect(() => new QueueProducer(new ArrayBuffer(4096) as unknown as SharedArrayBuffer)).toThrow(/SharedArrayBuffer/);
    expect(() => new QueueConsumer(new SharedArrayBuffer(8))).toThrow(/too small/);
    expect(() => new QueueConsumer(new SharedArrayBuffer(good.byteLength))).toThrow(/magic/);
    expect(() => new QueueConsumer(good.slice(0, good.byteLength - 4))).toThrow(/size/);
  });

  it('rejects wrong-sized messages and output buffers, bad timeouts and limits', () => {
    const sab = createQueueBuffer(validOptions);
    const producer = new QueueProducer(sab);
    const consumer = new QueueConsumer(sab);
    expect(() => producer.tryPush([1])).toThrow(/exactly 2 words/);
    expect(() => producer.push([1, 2, 3])).toThrow(/exactly 2 words/);
    expect(() => producer.tryPush(null as unknown as number[])).toThrow(/exactly 2 words/);
    expect(() => producer.push([1, 2], -1)).toThrow(/timeoutMs/);
    expect(() => producer.push([1, 2], Number.NaN)).toThrow(/timeoutMs/);
    expect(() => consumer.tryPop(new Int32Array(1))).toThrow(/at least 2 words/);
    expect(() => consumer.pop(new Uint32Array(2) as unknown as Int32Array, 0)).toThrow(/Int32Array/);
    expect(() => consumer.pop(new Int32Array(2), -5)).toThrow(/timeoutMs/);
    expect(() => consumer.drain(new Int32Array(2), () => undefined, -1)).toThrow(/maxMessages/);
    expect(() => consumer.drain(new Int32Array(2), () => undefined, 1.5)).toThrow(/maxMessages/);
    expect(() => consumer.drainInPlace({ read: () => undefined }, -1)).toThrow(/maxMessages/);
    expect(() => consumer.awaitMessage(-1)).toThrow(/timeoutMs/);
    expect(() => new QueueProducer(sab, { spinIterations: -1 })).toThrow(/spinIterations/);
    expect(() => new QueueConsumer(sab, { spinIterations: 0.5 })).toThrow(/spinIterations/);
    // Nothing above may have changed the queue.
    expect(consumer.stats()).toMatchObject({ pushed: 0, popped: 0, size: 0, closed: false });
  });

  it('awaitMessage never takes a message, and returns at once when one is ready, the news is in, or the queue is closed', () => {
    const sab = createQueueBuffer(validOptions);
    const producer = new QueueProducer(sab);
    const consumer = new QueueConsumer(sab);
    expect(consumer.awaitMessage(0)).toBe(false);
    expect(consumer.awaitMessage(60_000, () => true)).toBe(false); // the news: no park (a park would time the test out)
    producer.push([3, 4]);
    expect(consumer.awaitMessage(60_000)).toBe(true);
    expect(consumer.awaitMessage(60_000, () => true)).toBe(true); // a message ready wins over the news
    expect(consumer.stats()).toMatchObject({ popped: 0, size: 1, consumerParks: 0 });
    const out = new Int32Array(2);
    expect(consumer.tryPop(out)).toBe(true);
    producer.close();
    expect(consumer.awaitMessage(60_000)).toBe(false);
    expect(consumer.stats()).toMatchObject({ popped: 1, size: 0, consumerParks: 0 });
  });

  it('a throwing drain callback consumes that message and leaves the rest queued', () => {
    const sab = createQueueBuffer(validOptions);
    const producer = new QueueProducer(sab);
    const consumer = new QueueConsumer(sab);
    producer.push([1, 1]);
    producer.push([2, 2]);
    const out = new Int32Array(2);
    expect(() => consumer.drain(out, () => { throw new Error('boom'); })).toThrow('boom');
    expect(consumer.tryPop(out)).toBe(true);
    expect(Array.from(out)).toEqual([2, 2]);
  });

  it('a throwing in-place reader consumes that message and leaves the rest queued', () => {
    const sab = createQueueBuffer(validOptions);
    const producer = new QueueProducer(sab);
    const consumer = new QueueConsumer(sab);
    for (let i = 1; i <= 3; i++) producer.push([i, i]);
    const seen: number[] = [];
    const reader = { read: (words: Int32Array, at: number) => { seen.push(words[at]!); if (words[at] === 2) throw new Error('boom'); } };
    expect(() => consumer.drainInPlace(reader)).toThrow('boom');
    expect(seen).toEqual([1, 2]);
    expect(consumer.stats()).toMatchObject({ popped: 2, size: 1 });
    // Both slots are free again: the queue takes as many messages as before.
    for (let i = 0; i < 3; i++) expect(producer.tryPush([9, 9])).toBe(true);
    expect(producer.tryPush([9, 9])).toBe(false);
    expect(consumer.drainInPlace(reader)).toBe(4);
    expect(seen).toEqual([1, 2, 3, 9, 9, 9]);
  });
});
