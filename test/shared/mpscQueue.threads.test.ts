// Real worker threads against the MPSC queue: exactly-once, per-producer FIFO delivery
// under backpressure, and the park/wake paths (push wakes a parked consumer, pop or
// close releases a parked producer, close releases a parked consumer, a ConsumerWaker
// ends the consumer's awaitMessage for news that is not a message).
// No timing assertions: every wait is "until a shared counter says so", with a
// generous deadline only to turn a bug into a failure instead of a hang.

import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import {
  QueueConsumer,
  closeQueueBuffer,
  createQueueBuffer,
  readQueueCounters,
  type QueueCounters,
} from '../../src/shared/queue/mpscQueue.js';
import { firstMessage, spawnTsWorker, workerExit } from './fixtures/spawnTsWorker.js';
import { STRESS_WORDS_PER_MESSAGE, checksum, type ProducerData, type ProducerReport } from './fixtures/stressMessage.js';

const DEADLINE_MS = 25_000;

/** Waits without blocking the event loop (so worker errors surface) until the counters satisfy predicate. */
async function countersReach(sab: SharedArrayBuffer, predicate: (c: QueueCounters) => boolean, what: string): Promise<void> {
  const deadline = performance.now() + DEADLINE_MS;
  while (!predicate(readQueueCounters(sab))) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function failFast(workers: Worker[]): { readonly error: Error | undefined } {
  const state: { error: Error | undefined } = { error: undefined };
  for (const w of workers) w.once('error', (e: Error) => (state.error ??= e));
  return state;
}

describe('mpscQueue with worker threads', () => {
  it('4 producers x 20,000 messages through 64 slots: each arrives once, in per-producer order', async () => {
    const producers = 4;
    const perProducer = 20_000;
    const total = producers * perProducer;
    const sab = createQueueBuffer({ capacityMessages: 64, wordsPerMessage: STRESS_WORDS_PER_MESSAGE });
    const gate = new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT);
    const gateWords = new Int32Array(gate);
    const consumer = new QueueConsumer(sab);
    const workers = Array.from({ length: producers }, (_, producerId) => {
      const data: ProducerData = { sab, gate, producerId, count: perProducer };
      return spawnTsWorker('producer.ts', data);
    });
    const crashed = failFast(workers);
    const reports = Promise.all(workers.map((w) => firstMessage<ProducerReport>(w)));
    const exits = Promise.all(workers.map((w) => workerExit(w)));

    const deadline = performance.now() + DEADLINE_MS;
    while (Atomics.load(gateWords, 1) < producers) {
      if (crashed.error) throw crashed.error;
      if (performance.now() > deadline) throw new Error('producers did not start');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    Atomics.store(gateWords, 0, 1);
    Atomics.notify(gateWords, 0);
    // Do not consume until a producer has parked on the full queue: guarantees the
    // backpressure path runs at least once, independent of scheduling.
    await countersReach(sab, (c) => c.producerParks > 0, 'a producer to park on the full queue');

    const nextSequence = new Array<number>(producers).fill(0);
    let received = 0;
    let firstProblem: string | undefined;
    const check = (msg: Int32Array): void => {
      const [producerId = -1, sequence = -1, sum = 0] = msg;
      received++;
      if (firstProblem !== undefined) return;
      if (!(producerId >= 0 && producerId < producers)) firstProblem = `bad producer id ${producerId}`;
      else if (sequence !== nextSequence[producerId]) {
        firstProblem = `producer ${producerId}: got #${sequence}, expected #${nextSequence[producerId]}`;
      } else if (sum !== checksum(producerId, sequence)) firstProblem = `torn message ${Array.from(msg).join(',')}`;
      else nextSequence[producerId]++;
    };
    const out = new Int32Array(STRESS_WORDS_PER_MESSAGE);
    while (received < total) {
      if (crashed.error) throw crashed.error;
      if (performance.now() > deadline) throw new Error(`only ${received} of ${total} messages arrived`);
      if (consumer.drain(out, check, 4096) === 0 && consumer.pop(out, 50)) check(out);
      await yieldToEventLoop(); // lets worker 'error' events through; cheap next to a drain of up to 4096
    }

    expect(firstProblem).toBeUndefined();
    expect(nextSequence).toEqual(new Array(producers).fill(perProducer));
    expect((await reports).map((r) => r.pushed)).toEqual(new Array(producers).fill(perProducer));
    expect(await exits).toEqual(new Array(producers).fill(0));
    expect(consumer.tryPop(out)).toBe(false); // nothing extra, no duplicates left behind
    const stats = consumer.stats();
    expect(stats).toMatchObject({ pushed: total, popped: total, size: 0 });
    expect(stats.producerParks).toBeGreaterThan(0);
  });

  it('a consumer parked in pop() is woken by a push from another thread', async () => {
    const sab = createQueueBuffer({ capacityMessages: 4, wordsPerMessage: 2 });
    const consumer = new QueueConsumer(sab);
    const worker = spawnTsWorker('actWhenConsumerParks.ts', { sab, action: 'push', message: [42, -7] });
    const exit = workerExit(worker);
    const out = new Int32Array(2);
    // Blocks this thread; the worker pushes only after seeing us parked. The long
    // timeout only bounds a failure.
    const got = consumer.pop(out, DEADLINE_MS);
    expect(got).toBe(true);
    expect(Array.from(out)).toEqual([42, -7]);
    expect(consumer.stats().consumerParks).toBeGreaterThan(0);
    expect(await exit).toBe(0);
  });

  it('a consumer parked in awaitMessage() is woken by a push; the message stays for it to take', async () => {
    const sab = createQueueBuffer({ capacityMessages: 4, wordsPerMessage: 2 });
    const consumer = new QueueConsumer(sab);
    const exit = workerExit(spawnTsWorker('actWhenConsumerParks.ts', { sab, action: 'push', message: [5, 6] }));
    expect(consumer.awaitMessage(DEADLINE_MS)).toBe(true);
    expect(consumer.stats()).toMatchObject({ popped: 0, size: 1 });
    const out = new Int32Array(2);
    expect(consumer.tryPop(out)).toBe(true);
    expect(Array.from(out)).toEqual([5, 6]);
    expect(await exit).toBe(0);
  });

  it('a ConsumerWaker ends awaitMessage() once the news it watches for is set, with no message published', async () => {
    const sab = createQueueBuffer({ capacityMessages: 4, wordsPerMessage: 1 });
    const news = new SharedArrayBuffer(4);
    const flag = new Int32Array(news);
    const consumer = new QueueConsumer(sab);
    const exit = workerExit(spawnTsWorker('actWhenConsumerParks.ts', { sab, action: 'wake', message: [0], news }));
    // Parked for up to DEADLINE_MS: only the wake (or a lost one, caught by the fixture's bound) ends it.
    expect(consumer.awaitMessage(DEADLINE_MS, () => Atomics.load(flag, 0) === 1)).toBe(false);
    expect(Atomics.load(flag, 0)).toBe(1);
    expect(consumer.stats()).toMatchObject({ consumerParks: 1, popped: 0, size: 0, closed: false });
    expect(await exit).toBe(0);
  });

  it('close() from another thread releases a consumer parked in pop()', async () => {
    const sab = createQueueBuffer({ capacityMessages: 4, wordsPerMessage: 1 });
    const consumer = new QueueConsumer(sab);
    const worker = spawnTsWorker('actWhenConsumerParks.ts', { sab, action: 'close', message: [0] });
    const exit = workerExit(worker);
    expect(consumer.pop(new Int32Array(1), DEADLINE_MS)).toBe(false);
    expect(consumer.stats()).toMatchObject({ closed: true, popped: 0 });
    expect(await exit).toBe(0);
  });

  it('close() releases a producer parked in push() on a full queue; push returns false', async () => {
    const sab = createQueueBuffer({ capacityMessages: 2, wordsPerMessage: 1 });
    const worker = spawnTsWorker('blockingProducer.ts', { sab });
    const report = firstMessage<{ filled: number; blockedPushResult: boolean }>(worker);
    const exit = workerExit(worker);
    await countersReach(sab, (c) => c.producerParks > 0, 'the producer to park');
    closeQueueBuffer(sab);
    expect(await report).toEqual({ filled: 2, blockedPushResult: false });
    expect(await exit).toBe(0);
    // What was published before close is still delivered.
    const consumer = new QueueConsumer(sab);
    expect(consumer.drain(new Int32Array(1), () => undefined)).toBe(2);
  });

  it('popping releases a producer parked in push() on a full queue; push returns true', async () => {
    const sab = createQueueBuffer({ capacityMessages: 2, wordsPerMessage: 1 });
    const consumer = new QueueConsumer(sab);
    const worker = spawnTsWorker('blockingProducer.ts', { sab });
    const report = firstMessage<{ filled: number; blockedPushResult: boolean }>(worker);
    const exit = workerExit(worker);
    await countersReach(sab, (c) => c.producerParks > 0, 'the producer to park');
    expect(consumer.tryPop(new Int32Array(1))).toBe(true);
    expect(await report).toEqual({ filled: 2, blockedPushResult: true });
    expect(await exit).toBe(0);
    expect(consumer.stats()).toMatchObject({ pushed: 3, popped: 1, size: 2 });
  });
});
