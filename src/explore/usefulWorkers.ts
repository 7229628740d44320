/**
 * How many pool threads a campaign can use: a thread takes a chunk of CHUNK_ITERATIONS
 * executions at a time (pool.ts), a dfs search a workload's search; `--workers` beyond that
 * started threads that only loaded the scenario (`--workers 64 --iterations 1` took 27.5 s and
 * 1.4 GB to run one execution). The report states this count, the one that ran.
 */
import { ALIGNMENT } from './iterations.js';
import type { CampaignSpec } from './spec.js';
import { workloadCount } from './workloads.js';

export function usefulWorkers(spec: Pick<CampaignSpec, 'strategy' | 'iterations' | 'workloads'>, workers: number): number {
  const tasks = spec.strategy === 'dfs' ? workloadCount(spec) : Math.ceil(spec.iterations / ALIGNMENT);
  return Math.max(1, Math.min(workers, tasks));
}
