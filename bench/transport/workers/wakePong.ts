// Pong side of wakeRtt.ts: parks on the PING word, answers each ping by storing the
// same round number into PONG and notifying. Always parks (no spinning): the point
// is to measure the Atomics.wait/notify wake-up itself.
import { workerData } from 'node:worker_threads';
import { PING, PONG, STOP } from '../wakeProtocol.js';
import { arriveAndWait } from '../startGate.js';

const { words: buffer, gate } = workerData as { words: SharedArrayBuffer; gate: SharedArrayBuffer };
const words = new Int32Array(buffer);
arriveAndWait(gate);
for (let round = 1; ; round++) {
  while (Atomics.load(words, PING) === round - 1) Atomics.wait(words, PING, round - 1);
  if (Atomics.load(words, PING) === STOP) break;
  Atomics.store(words, PONG, round);
  Atomics.notify(words, PONG);
}
