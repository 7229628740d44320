// Round trip of worker postMessage (structured clone of a small number, event-loop
// delivery on both sides): the baseline the SharedArrayBuffer queue is meant to beat.
import { once } from 'node:events';
import { timeRoundTrips, type AsyncRttOptions, type AsyncRttResult } from './asyncRoundTrips.js';
import { runIfEntry } from './runDirectly.js';
import { spawnBenchWorker, watchWorkers } from './spawnBenchWorker.js';

export async function measurePostMessageRtt(options: Partial<AsyncRttOptions> = {}): Promise<AsyncRttResult> {
  const worker = spawnBenchWorker('echo', null);
  const health = watchWorkers([worker]);
  try {
    await once(worker, 'online');
    let reply: (() => void) | undefined;
    worker.on('message', () => reply?.());
    return await timeRoundTrips(options, (round) => {
      const replied = new Promise<void>((resolve) => {
        reply = resolve;
        worker.postMessage(round);
      });
      return Promise.race([replied, health.failed]);
    });
  } finally {
    await worker.terminate();
  }
}

runIfEntry(import.meta.url, () => measurePostMessageRtt());
