/**
 * `--strategy dfs --workloads N --workers W`: the N workloads' searches in parallel, one per task
 * on a piscina pool of min(W, N) workers, folded back in workload order (dfsWorkloads.ts). Each
 * search depends on (spec, w) alone, so the result is the one-thread result: the same
 * executions, numbered the same, the same first violation.
 *
 * Stopping: every task watches its own flag in shared memory between executions. A violation
 * folded from workload k (without --keep-going) raises the flags of every later workload (the
 * one-thread campaign never starts them: they are reported as not searched); a stop signal
 * raises them all, and each search ends at its next execution with what it ran.
 */
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { CampaignAccumulator, dfsResult, type AccumulatorState, type CampaignHooks, type CampaignResult } from './campaign.js';
import { campaignGoesOn, notSearched, searchWorkload, type DfsWorkloadOutcome } from './dfsWorkloads.js';
import { workerOptions } from './pool.js';
import { namesOf, runPoolTask, WatchedPool, type PoolTaskResult } from './watchedPool.js';
import type { CampaignSpec } from './spec.js';
import { workloadCount } from './workloads.js';
import { letTimersFire } from '../shared/letTimersFire.js';

export interface DfsWorkloadTask {
  spec: CampaignSpec;
  workload: number;
  /** One flag per workload; non-zero: stop this search at its next execution. */
  stop: Int32Array;
}

export interface DfsWorkloadDone {
  outcome: DfsWorkloadOutcome;
  /** Its executions' fold, numbered from 0. */
  fold: AccumulatorState;
}

/** How often the pool's side looks at the stop signal while the searches run. */
const CANCEL_POLL_MS = 50;

const scenarios = new Map<string, Promise<Scenario>>();

/** On a pool worker: one workload's search. */
export function runDfsWorkload(task: DfsWorkloadTask): Promise<PoolTaskResult<DfsWorkloadDone>> {
  return runPoolTask(task, () => dfsWorkload(task));
}

async function dfsWorkload(task: DfsWorkloadTask): Promise<DfsWorkloadDone> {
  const key = JSON.stringify(task.spec.scenarioRef);
  let scenario = scenarios.get(key);
  if (scenario === undefined) {
    scenario = loadScenario(task.spec.scenarioRef);
    scenarios.set(key, scenario);
  }
  const acc = new CampaignAccumulator(task.spec.keepGoing);
  const outcome = searchWorkload(await scenario, task.spec, task.workload, acc, {
    offset: 0, hooks: { cancelled: () => Atomics.load(task.stop, task.workload) !== 0 },
  });
  await letTimersFire();
  return { outcome, fold: acc.save() };
}

export async function runDfsOnPool(spec: CampaignSpec, workers: number, hooks: CampaignHooks = {}): Promise<CampaignResult> {
  const n = workloadCount(spec);
  const pool = new WatchedPool(workerOptions(Math.min(workers, n)));
  const stop = new Int32Array(new SharedArrayBuffer(n * Int32Array.BYTES_PER_ELEMENT));
  const stopFrom = (w: number): void => {
    for (let i = w; i < n; i++) Atomics.store(stop, i, 1);
  };
  const watchSignal = (): void => {
    if (hooks.cancelled?.()) stopFrom(0);
  };
  // Looked at once before any search starts, then while they run.
  watchSignal();
  const poll = setInterval(watchSignal, CANCEL_POLL_MS);
  const acc = new CampaignAccumulator(spec.keepGoing);
  const outcomes: DfsWorkloadOutcome[] = [];
  const done = new Map<number, DfsWorkloadDone>();
  let goOn = true;
  const fold = (): void => {
    while (done.has(outcomes.length)) {
      const w = outcomes.length;
      const { outcome, fold: range } = done.get(w)!;
      done.delete(w);
      if (!goOn) {
        outcomes.push(notSearched(spec, w));
        continue;
      }
      acc.merge(range, acc.executions);
      hooks.onFold?.(acc);
      outcomes.push(outcome);
      goOn = campaignGoesOn(outcome, spec.keepGoing);
      if (!goOn) stopFrom(w + 1);
    }
  };
  try {
    // Every task at once: piscina starts them in workload order as workers free up, and a
    // stopped one returns at its first execution.
    await Promise.all(Array.from({ length: n }, async (_, workload) => {
      const result = await pool.run<DfsWorkloadTask, DfsWorkloadDone>({ spec, workload, stop }, namesOf(spec.scenarioRef), { name: 'runDfsWorkload' });
      done.set(workload, result);
      fold();
    }));
  } finally {
    clearInterval(poll);
    stopFrom(0);
    await pool.destroy();
  }
  return dfsResult(acc, outcomes);
}

