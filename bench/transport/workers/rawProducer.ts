// Producer thread for rawQueue.ts: pushes messagesPerProducer fixed-size messages
// with blocking push(), exactly as a VM worker would feed the VMM actor.
import { workerData } from 'node:worker_threads';
import { QueueProducer } from '../../../src/shared/queue/mpscQueue.js';
import { arriveAndWait } from '../startGate.js';

export interface RawProducerData {
  queue: SharedArrayBuffer;
  gate: SharedArrayBuffer;
  producerId: number;
  messagesPerProducer: number;
  spinIterations: number;
}

const { queue, gate, producerId, messagesPerProducer, spinIterations } = workerData as RawProducerData;
const producer = new QueueProducer(queue, { spinIterations });
const msg = new Int32Array(producer.wordsPerMessage).fill(producerId);
arriveAndWait(gate);
for (let i = 0; i < messagesPerProducer; i++) {
  msg[0] = i;
  if (!producer.push(msg)) throw new Error(`queue closed after ${i} messages`);
}
