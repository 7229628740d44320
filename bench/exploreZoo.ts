/**
 * How fast each strategy finds each zoo bug: executions to the first bug for random, PCT and
 * dfs, over several master seeds (each seed is another workload, and another root for the
 * strategies' seeds), with each entry's documented budget.
 *
 *   node dist/bench/exploreZoo.js [seeds]
 */
import { ZOO } from '../examples/zoo/index.js';
import type { StrategyName } from '../src/explore/spec.js';
import { runCampaignHere } from '../src/explore/campaign.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface ZooStrategyStats {
  /** Seeds on which the bug was found within the budget. */
  found: number;
  seeds: number;
  executionsMean: number | null;
  executionsMedian: number | null;
  executionsMax: number | null;
}

const STRATEGIES: readonly StrategyName[] = ['portfolio', 'pct', 'pos', 'random', 'guided', 'dfs'];

export async function measureZooExecutions(seeds: number): Promise<Record<string, Record<StrategyName, ZooStrategyStats>>> {
  const out: Record<string, Record<StrategyName, ZooStrategyStats>> = {};
  for (const entry of ZOO) {
    const runs = Object.fromEntries(STRATEGIES.map((s) => [s, [] as number[]])) as Record<StrategyName, number[]>;
    for (let seed = 1; seed <= seeds; seed++) {
      for (const strategy of STRATEGIES) {
        const { scenario, spec } = zooCampaign(entry, strategy, false, seed);
        const first = runCampaignHere(scenario, spec).first;
        if (first !== null && first.violation.kind === entry.kind) runs[strategy].push(first.iteration + 1);
      }
    }
    out[entry.name] = Object.fromEntries(STRATEGIES.map((s) => [s, stats(runs[s], seeds)])) as Record<StrategyName, ZooStrategyStats>;
  }
  return out;
}

function stats(executions: number[], seeds: number): ZooStrategyStats {
  const sorted = [...executions].sort((a, b) => a - b);
  const n = sorted.length;
  return {
    found: n, seeds,
    executionsMean: n === 0 ? null : Math.round((sorted.reduce((a, b) => a + b, 0) / n) * 10) / 10,
    executionsMedian: n === 0 ? null : sorted[Math.floor(n / 2)]!,
    executionsMax: n === 0 ? null : sorted[n - 1]!,
  };
}

runIfEntry(import.meta.url, () => measureZooExecutions(Number(process.argv[2] ?? 20)));
