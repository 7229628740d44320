/**
 * `--workers W`: iterations of a seeded strategy run in parallel on a piscina pool. Iteration
 * indices are cut into fixed chunks, handed out in order, and folded back in iteration order:
 * iteration i depends only on (spec, i), and the fold stops at the first violating iteration,
 * so the result equals the one-worker result for the same seed whatever finishes first.
 *
 * Workers receive the campaign spec (plain data with the scenario's reference), never live
 * objects. Under vitest the sources are TypeScript: the worker then runs workers/explore.ts
 * through tsx, registered by a preload inside the worker (on Node 20 `--import tsx` installs
 * its hooks on the main thread only); built, it runs the compiled JS.
 */
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { BatchTask } from './batch.js';
import { CampaignAccumulator, type CampaignHooks, type CampaignResult } from './campaign.js';
import type { CampaignSpec, ExecutionSummary } from './spec.js';

const RUNNING_TS = import.meta.url.endsWith('.ts');

export function workerOptions(threads: number): ConstructorParameters<typeof Piscina>[0] {
  const entry = new URL(RUNNING_TS ? '../../workers/explore.ts' : '../../workers/explore.js', import.meta.url);
  return {
    filename: fileURLToPath(entry),
    minThreads: threads,
    maxThreads: threads,
    ...(RUNNING_TS ? { execArgv: ['--import', tsxPreload()] } : {}),
  };
}

/** A module URL that registers tsx's loader in the thread it runs in. */
function tsxPreload(): string {
  const api = import.meta.resolve('tsx/esm/api');
  return `data:text/javascript,${encodeURIComponent(`import { register } from ${JSON.stringify(api)}; register();`)}`;
}

/** Iterations per task: small enough to balance and to stop soon after a find, large enough to amortize a message. */
export function chunkSize(iterations: number, workers: number): number {
  return Math.max(1, Math.min(64, Math.ceil(iterations / (workers * 8))));
}

export async function runCampaignOnPool(spec: CampaignSpec, workers: number, hooks: CampaignHooks = {}): Promise<CampaignResult> {
  if (spec.strategy === 'dfs') throw new Error('dfs runs on one thread (each execution depends on the one before)');
  const pool = new Piscina(workerOptions(workers));
  const acc = new CampaignAccumulator(spec.keepGoing);
  const size = chunkSize(spec.iterations, workers);
  const chunks = Math.ceil(spec.iterations / size);
  const done = new Map<number, ExecutionSummary[]>();
  const inFlight = new Set<Promise<void>>();
  let nextToSend = 0;
  let nextToFold = 0;
  let stopped = false;
  let failure: unknown = null;

  const fold = (): void => {
    while (!stopped && done.has(nextToFold)) {
      for (const summary of done.get(nextToFold)!) {
        const goOn = acc.add(summary);
        hooks.onExecution?.(summary, acc);
        if (!goOn) {
          stopped = true;
          break;
        }
      }
      done.delete(nextToFold++);
    }
    if (nextToFold >= chunks || hooks.cancelled?.()) stopped = true;
  };

  try {
    while (!stopped && failure === null) {
      while (!stopped && nextToSend < chunks && inFlight.size < workers * 2) {
        const index = nextToSend++;
        const task: BatchTask = { spec, from: index * size, to: Math.min(spec.iterations, (index + 1) * size) };
        const running: Promise<void> = (pool.run(task) as Promise<ExecutionSummary[]>).then(
          (summaries) => {
            done.set(index, summaries);
            fold();
          },
          (error: unknown) => {
            failure ??= error;
          },
        ).finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
  } finally {
    await pool.destroy();
  }
  if (failure !== null) throw failure;
  return acc.result();
}
