// Raw MPSC queue throughput: P producer threads push fixed-size messages into one
// SharedArrayBuffer queue, the main thread consumes - the shape of the real event
// path (VM workers -> VMM actor) without any VMM logic.
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { DEFAULT_SPIN_ITERATIONS, QueueConsumer, createQueueBuffer } from '../../src/shared/queue/mpscQueue.js';
import { runIfEntry } from './runDirectly.js';
import { spawnBenchWorker, watchWorkers } from './spawnBenchWorker.js';
import { createGate, openGate, waitForArrivals } from './startGate.js';
import type { RawProducerData } from './workers/rawProducer.js';

export interface RawQueueOptions {
  producers: number;
  messagesPerProducer: number;
  wordsPerMessage: number;
  capacityMessages: number;
  /** Failed attempts before parking, both sides (see DEFAULT_SPIN_ITERATIONS). */
  spinIterations: number;
}

export interface RawQueueResult {
  msgsPerSec: number;
  messages: number;
  elapsedMs: number;
  /** Times a producer parked on a full queue (backpressure). */
  producerParks: number;
  /** Times the consumer parked on an empty queue. */
  consumerParks: number;
}

export const RAW_QUEUE_DEFAULTS: RawQueueOptions = {
  producers: 4,
  messagesPerProducer: 250_000,
  wordsPerMessage: 4,
  capacityMessages: 1024,
  spinIterations: DEFAULT_SPIN_ITERATIONS,
};

/** A stuck run (e.g. a dead producer) fails after this long without progress. */
const STALL_LIMIT_MS = 10_000;

export async function measureRawQueue(options: Partial<RawQueueOptions> = {}): Promise<RawQueueResult> {
  const { producers, messagesPerProducer, wordsPerMessage, capacityMessages, spinIterations } = {
    ...RAW_QUEUE_DEFAULTS,
    ...options,
  };
  for (const [name, value] of Object.entries({ producers, messagesPerProducer })) {
    if (!Number.isInteger(value) || value < 1) throw new Error(`rawQueue: ${name} must be an integer >= 1, got ${value}`);
  }
  const queue = createQueueBuffer({ capacityMessages, wordsPerMessage });
  const consumer = new QueueConsumer(queue, { spinIterations });
  const gate = createGate();
  const workers = Array.from({ length: producers }, (_, producerId) => {
    const data: RawProducerData = { queue, gate, producerId, messagesPerProducer, spinIterations };
    return spawnBenchWorker('rawProducer', data);
  });
  const health = watchWorkers(workers);
  try {
    await waitForArrivals(gate, producers, () => health.error);
    const messages = producers * messagesPerProducer;
    const out = new Int32Array(wordsPerMessage);
    let received = 0;
    let sink = 0; // touch every message so the consume loop does real (if tiny) work
    const onMessage = (msg: Int32Array): void => {
      sink ^= msg[0];
    };
    const startMs = performance.now();
    openGate(gate);
    let lastProgressMs = startMs;
    while (received < messages) {
      const drained = consumer.drain(out, onMessage);
      if (drained > 0) {
        received += drained;
        lastProgressMs = performance.now();
        continue;
      }
      // Empty: park (this thread blocks; producers run on their own threads).
      if (consumer.pop(out, 100)) {
        onMessage(out);
        received++;
        lastProgressMs = performance.now();
        continue;
      }
      await yieldToEventLoop(); // let worker 'error'/'exit' events in
      if (health.error) throw health.error;
      if (performance.now() - lastProgressMs > STALL_LIMIT_MS) {
        throw new Error(`rawQueue stalled at ${received} of ${messages} messages`);
      }
    }
    const elapsedMs = performance.now() - startMs;
    const stats = consumer.stats();
    return {
      msgsPerSec: Math.round(messages / (elapsedMs / 1000)),
      messages,
      elapsedMs: Math.round(elapsedMs * 10) / 10,
      producerParks: stats.producerParks,
      consumerParks: stats.consumerParks,
    };
  } finally {
    consumer.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

runIfEntry(import.meta.url, () => measureRawQueue());
