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
 * worker never re-runs part of an epoch and a message carries hundreds of executions. An
 * ExplorePool can outlive one campaign and be warmed first (bench/exploreScaling.ts times warm
 * pools): a fresh worker runs its first few thousand executions some 20% slower while V8
 * optimizes the simulator, on its own thread and on the runtime's compiler threads.
 *
 * Workers receive the campaign spec (plain data with the scenario's reference), never live
 * objects. Under vitest the sources are TypeScript: the worker then runs workers/explore.ts
 * through tsx, registered by a preload inside the worker (on Node 20 `--import tsx` installs
 * its hooks on the main thread only); built, it runs the compiled JS.
 */
import { fileURLToPath } from 'node:url';
import type { BatchTask } from './batch.js';
import { CampaignAccumulator, type CampaignHooks, type CampaignResult } from './campaign.js';
import { ALIGNMENT } from './iterations.js';
import type { CampaignSpec, ExecutionSummary } from './spec.js';
import { namesOf, WatchedPool } from './watchedPool.js';

const RUNNING_TS = import.meta.url.endsWith('.ts');

export function workerOptions(threads: number): ConstructorParameters<typeof WatchedPool>[0] {
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

/** A campaign on a pool started for it, which ends with it (`vmmsim explore --workers W`). */
export async function runCampaignOnPool(spec: CampaignSpec, workers: number, hooks: CampaignHooks = {}): Promise<CampaignResult> {
  const pool = new ExplorePool(workers);
  try {
    return await pool.run(spec, hooks);
  } finally {
    await pool.destroy();
  }
}

/** W piscina workers that run campaigns, one after another, for as long as the pool lives. */
export class ExplorePool {
  private readonly pool: WatchedPool;

  constructor(readonly workers: number) {
    this.pool = new WatchedPool(workerOptions(workers));
  }

  /**
   * One batch of `spec` on every worker, before a timed campaign: each worker starts, loads the
   * scenario and compiles the simulator (its JIT warms up) outside the timer. The tasks meet at
   * a barrier (see batch.ts), so each worker gets one. Results are dropped.
   */
  async warm(spec: CampaignSpec, iterations = CHUNK_ITERATIONS): Promise<void> {
    const barrier = new Int32Array(new SharedArrayBuffer(2 * Int32Array.BYTES_PER_ELEMENT));
    barrier[1] = this.workers;
    const batch = { ...spec, keepGoing: true };
    await Promise.all(Array.from({ length: this.workers }, () => this.pool.run({ spec: batch, from: 0, to: iterations, barrier } satisfies BatchTask, namesOf(spec.scenarioRef))));
  }

  async run(spec: CampaignSpec, hooks: CampaignHooks = {}): Promise<CampaignResult> {
    if (spec.strategy === 'dfs') throw new Error('dfs runs on one thread (each execution depends on the one before)');
    const { workers } = this;
    const acc = new CampaignAccumulator(spec.keepGoing);
    const size = CHUNK_ITERATIONS;
    const chunks = Math.ceil(spec.iterations / size);
    const done = new Map<number, ExecutionSummary[]>();
    const inFlight = new Set<Promise<void>>();
    let nextToSend = 0;
    let nextToFold = 0;
    let stopped = false;
    let failure: unknown = null;
    // A failed task (a hung pool thread, a worker that died) ends the campaign: the tasks still
    // out are aborted rather than waited for (each could be hours, or hang too).
    const aborter = new AbortController();

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

    while (!stopped && failure === null) {
      while (!stopped && nextToSend < chunks && inFlight.size < workers * 2) {
        const index = nextToSend++;
        const task: BatchTask = { spec, from: index * size, to: Math.min(spec.iterations, (index + 1) * size) };
        const running: Promise<void> = this.pool.run<BatchTask, ExecutionSummary[]>(task, namesOf(spec.scenarioRef), { signal: aborter.signal }).then(
          (summaries) => {
            done.set(index, summaries);
            fold();
          },
          (error: unknown) => {
            if (failure !== null) return;
            failure = error;
            aborter.abort();
          },
        ).finally(() => inFlight.delete(running));
        inFlight.add(running);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    if (failure !== null) throw failure;
    return acc.result();
  }

  destroy(): Promise<void> {
    return this.pool.destroy();
  }
}
