/**
 * What a pool worker does with one task: load the scenario by its reference (once per worker),
 * run a batch of iterations, and post their summaries back. The worker entry (workers/explore.ts)
 * only re-exports this.
 */
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import { runSeededBatch } from './campaign.js';
import type { CampaignSpec, ExecutionSummary } from './spec.js';

export interface BatchTask {
  spec: CampaignSpec;
  /** Iterations [from, to). */
  from: number;
  to: number;
}

const scenarios = new Map<string, Promise<Scenario>>();

export async function runBatch(task: BatchTask): Promise<ExecutionSummary[]> {
  const key = JSON.stringify(task.spec.scenarioRef);
  let scenario = scenarios.get(key);
  if (scenario === undefined) {
    scenario = loadScenario(task.spec.scenarioRef);
    scenarios.set(key, scenario);
  }
  return runSeededBatch(await scenario, task.spec, task.from, task.to);
}
