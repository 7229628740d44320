/**
 * What a pool worker does with one task: load the scenario by its reference (once per worker),
 * run a batch of iterations, and post their summaries back. The worker entry (workers/explore.ts)
 * only re-exports this.
 */
import { performance } from 'node:perf_hooks';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { runSeededBatch } from './campaign.js';
import type { CampaignSpec, ExecutionSummary } from './spec.js';
import { runPoolTask, type PoolTaskResult } from './watchedPool.js';
import { letTimersFire } from '../shared/letTimersFire.js';

export interface BatchTask {
  spec: CampaignSpec;
  /** Iterations [from, to). */
  from: number;
  to: number;
  /**
   * A warm-up task (see ExplorePool.warm): its summaries are dropped, and when it is done the
   * worker waits at this barrier until every warm-up task of the pool is, so that the pool's
   * warm-up tasks run one per worker. [0]: tasks arrived, [1]: tasks in all.
   */
  barrier?: Int32Array;
}

/** How long a warm-up task waits for the others: past it, the pool is warm enough anyway. */
const BARRIER_WAIT_MS = 30_000;

const scenarios = new Map<string, Promise<Scenario>>();

export function runBatch(task: BatchTask): Promise<PoolTaskResult<ExecutionSummary[]>> {
  return runPoolTask(task, () => batch(task));
}

async function batch(task: BatchTask): Promise<ExecutionSummary[]> {
  const key = JSON.stringify(task.spec.scenarioRef);
  let scenario = scenarios.get(key);
  if (scenario === undefined) {
    scenario = loadScenario(task.spec.scenarioRef);
    scenarios.set(key, scenario);
  }
  const summaries = runSeededBatch(await scenario, task.spec, task.from, task.to);
  // Inside the task: a throw from a timer the executions' scenario code set fails it, not the next one.
  await letTimersFire();
  if (task.barrier === undefined) return summaries;
  meetAt(task.barrier);
  return [];
}

function meetAt(barrier: Int32Array): void {
  Atomics.add(barrier, 0, 1);
  Atomics.notify(barrier, 0);
  const deadline = performance.now() + BARRIER_WAIT_MS;
  for (let arrived = Atomics.load(barrier, 0); arrived < barrier[1]! && performance.now() < deadline; arrived = Atomics.load(barrier, 0)) {
    Atomics.wait(barrier, 0, arrived, 100);
  }
}
