// Round trip of a Comlink method call over node:worker_threads (postMessage plus
// Comlink's RPC envelope and proxy machinery): what an RPC-style actor API would cost.
import { once } from 'node:events';
import * as Comlink from 'comlink';
import nodeEndpoint from 'comlink/dist/esm/node-adapter.mjs';
import { timeRoundTrips, type AsyncRttOptions, type AsyncRttResult } from './asyncRoundTrips.js';
import type { EchoApi } from './comlinkApi.js';
import { runIfEntry } from './runDirectly.js';
import { spawnBenchWorker, watchWorkers } from './spawnBenchWorker.js';

export async function measureComlinkRtt(options: Partial<AsyncRttOptions> = {}): Promise<AsyncRttResult> {
  const worker = spawnBenchWorker('comlinkEcho', null);
  const health = watchWorkers([worker]);
  const remote = Comlink.wrap<EchoApi>(nodeEndpoint(worker));
  try {
    await once(worker, 'online');
    return await timeRoundTrips(options, async (round) => {
      await Promise.race([remote.echo(round), health.failed]);
    });
  } finally {
    remote[Comlink.releaseProxy]();
    await worker.terminate();
  }
}

runIfEntry(import.meta.url, () => measureComlinkRtt());
