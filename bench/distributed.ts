/**
 * Campaigns through Redis: executions per second with 1, 2 and 3 `vmmsim worker` processes
 * (one thread each) next to the local runs (one thread, and a local pool of 2), and what a
 * chunk costs on top of its executions. The campaign keeps going past violations, so every run
 * executes all its iterations. Needs a `redis-server` binary (it starts its own, on loopback).
 *
 *   node dist/bench/distributed.js [default|<zoo name>] [iterations] [chunk]
 *
 * Overhead per chunk, two ways: (queue time with 1 worker - local time) / chunks, and the time
 * per chunk of a campaign whose chunks hold one near-empty execution (1 client step).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { zooEntry } from '../examples/zoo/index.js';
import { runCampaignOnQueue } from '../src/distributed/coordinator.js';
import { parseQueueUrl } from '../src/distributed/queueUrl.js';
import { campaignSpec } from '../src/explore/explore.js';
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioRef } from '../src/shared/trace.js';
import { startRedis } from './distributedRedis.js';
import { measureExplore } from './explore.js';
import { runIfEntry } from './transport/runDirectly.js';

const RUNNING_TS = import.meta.url.endsWith('.ts');
const WORKER_COUNTS = [1, 2, 3];

export interface DistributedBenchResult {
  scenario: string;
  iterations: number;
  chunk: number;
  local: { threads: number; execsPerSec: number }[];
  queue: { workers: number; execsPerSec: number; elapsedMs: number; chunks: number }[];
  overheadMsPerChunk: { fromOneWorker: number; emptyChunk: number };
}

function startWorkers(url: string, count: number): Promise<ChildProcess[]> {
  const cli = RUNNING_TS
    ? ['--import', 'tsx', fileURLToPath(new URL('../src/cli/main.ts', import.meta.url))]
    : [fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url))];
  return Promise.all(Array.from({ length: count }, () => new Promise<ChildProcess>((resolve, reject) => {
    const child = spawn(process.execPath, [...cli, 'worker', '--queue', url, '--concurrency', '1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    child.once('exit', (code) => reject(new Error(`worker exited with ${code}`)));
    child.stderr!.on('data', (d: Buffer) => {
      if (d.toString().includes('taking jobs')) resolve(child);
    });
  })));
}

async function stopWorkers(workers: ChildProcess[]): Promise<void> {
  await Promise.all(workers.map((w) => new Promise((resolve) => {
    w.removeAllListeners('exit');
    w.once('exit', resolve);
    w.kill('SIGTERM');
  })));
}

export async function measureDistributed(scenarioName: string, iterations: number, chunk: number): Promise<DistributedBenchResult> {
  const ref: ScenarioRef = scenarioName === 'default' ? { kind: 'builtin', name: 'default', vms: 4, steps: 200 } : { kind: 'zoo', name: scenarioName, fixed: false };
  if (ref.kind === 'zoo' && zooEntry(ref.name) === undefined) throw new Error(`no zoo entry ${ref.name}`);
  const scenario = await loadScenario(ref);
  const specOf = (seed: number, n: number, steps?: number) => campaignSpec({
    scenario, scenarioRef: ref, strategy: 'pct', seed, iterations: n, keepGoing: true, ...(steps !== undefined ? { steps } : {}),
  });
  const local = [];
  for (const threads of [1, 2]) {
    await measureExplore({ scenario: scenarioName, iterations: Math.min(50, iterations), workers: threads }); // warm-up
    local.push({ threads, execsPerSec: (await measureExplore({ scenario: scenarioName, iterations, workers: threads })).execsPerSec });
  }
  const redis = await startRedis();
  const url = parseQueueUrl(redis.url);
  const queue = [];
  let emptyChunk = 0;
  try {
    for (const count of WORKER_COUNTS) {
      const workers = await startWorkers(redis.url, count);
      try {
        await runCampaignOnQueue(specOf(1000 + count, chunk * count * 2), { url, chunkSize: chunk, campaign: `warm-${count}` });
        const started = performance.now();
        const outcome = await runCampaignOnQueue(specOf(1, iterations), { url, chunkSize: chunk, campaign: `bench-${count}` });
        const elapsedMs = performance.now() - started;
        queue.push({ workers: count, execsPerSec: Math.round((outcome.result.executions * 1000) / elapsedMs), elapsedMs: Math.round(elapsedMs), chunks: outcome.chunks });
        if (count === 1) {
          const chunks = 200;
          const emptyStarted = performance.now();
          await runCampaignOnQueue(specOf(2, chunks, 1), { url, chunkSize: 1, campaign: 'bench-empty' });
          emptyChunk = (performance.now() - emptyStarted) / chunks;
        }
      } finally {
        await stopWorkers(workers);
      }
    }
  } finally {
    await redis.stop();
  }
  const localMs = (iterations * 1000) / local[0]!.execsPerSec;
  const one = queue[0]!;
  return {
    scenario: scenarioName, iterations, chunk, local, queue,
    overheadMsPerChunk: { fromOneWorker: round2((one.elapsedMs - localMs) / one.chunks), emptyChunk: round2(emptyChunk) },
  };
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

runIfEntry(import.meta.url, async () => {
  const [scenario = 'default', iterations = '1000', chunk = '25'] = process.argv.slice(2);
  return measureDistributed(scenario, Number(iterations), Number(chunk));
});
