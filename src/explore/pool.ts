/**
 * `--workers W`: a campaign's iterations run in parallel on a piscina pool. Iteration indices
 * are cut into chunks, handed out in order, and folded back in iteration order: iteration i
 * depends only on (spec, i) (and, for coverage-guided executions, on the earlier ones of its
 * corpus epoch, which the worker runs itself), and the fold stops at the first violating
 * iteration, so the result equals the one-worker result for the same seed whatever finishes
 * first.
 *
 * Scaling: the workers live for the whole campaign (started once, the scenario loaded once per
 * worker) and take large chunks, whole corpus epochs (ALIGNMENT iterations) at least, so a
 * worker never re-runs part of an epoch and a message carries hundreds of executions.
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
import { ALIGNMENT } from './iterations.js';
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

/**
 * Iterations per task: one corpus epoch of the portfolio (ALIGNMENT = 256), hundreds of
 * executions, so a message costs well under 1% of the work it carries; small enough that the
 * workers finish together (the last task is at most one epoch long) and a find stops the
 * campaign soon after. Two tasks per worker stay queued, so no worker waits for the next.
 */
export const CHUNK_ITERATIONS = ALIGNMENT;

export async function runCampaignOnPool(spec: CampaignSpec, workers: number, hooks: CampaignHooks = {}): Promise<CampaignResult> {
  if (spec.strategy === 'dfs') throw new Error('dfs runs on one thread (each execution depends on the one before)');
  const pool = new Piscina(workerOptions(workers));
  const acc = new CampaignAccumulator(spec.keepGoing);
  const size = CHUNK_ITERATIONS;
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
