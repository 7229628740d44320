/**
 * How fast each strategy finds each zoo bug: executions to the first bug, over master seeds
 * 1..seeds (each seed is another workload, and another root for the strategies' seeds), with
 * each entry's documented budget; and, with --twins, whether every fixed twin stays clean under
 * the default strategy (the portfolio) on every seed, over the whole budget.
 *
 *   node dist/bench/exploreZoo.js [seeds] [--markdown] [--twins] [--strategies a,b,...]
 */
import { ZOO } from '../examples/zoo/index.js';
import { runCampaignHere } from '../src/explore/campaign.js';
import type { StrategyName } from '../src/explore/spec.js';
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

export const ZOO_BENCH_STRATEGIES: readonly StrategyName[] = ['portfolio', 'pct', 'pos', 'random', 'guided', 'dfs'];

export async function measureZooExecutions(seeds: number, strategies: readonly StrategyName[] = ZOO_BENCH_STRATEGIES): Promise<Record<string, Partial<Record<StrategyName, ZooStrategyStats>>>> {
  const out: Record<string, Partial<Record<StrategyName, ZooStrategyStats>>> = {};
  for (const entry of ZOO) {
    const row: Partial<Record<StrategyName, ZooStrategyStats>> = {};
    for (const strategy of strategies) {
      const runs: number[] = [];
      for (let seed = 1; seed <= seeds; seed++) {
        const { scenario, spec } = zooCampaign(entry, strategy, false, seed);
        const first = runCampaignHere(scenario, spec).first;
        if (first !== null && first.violation.kind === entry.kind) runs.push(first.iteration + 1);
      }
      row[strategy] = stats(runs, seeds);
    }
    out[entry.name] = row;
  }
  return out;
}

/** Per entry: the seeds on which the fixed twin showed a violation under the portfolio (none, we expect). */
export function checkTwins(seeds: number): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const entry of ZOO) {
    out[entry.name] = [];
    for (let seed = 1; seed <= seeds; seed++) {
      const { scenario, spec } = zooCampaign(entry, 'portfolio', true, seed);
      if (runCampaignHere(scenario, spec).first !== null) out[entry.name]!.push(seed);
    }
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

export function zooMarkdown(results: Record<string, Partial<Record<StrategyName, ZooStrategyStats>>>, strategies: readonly StrategyName[]): string[] {
  const head = `| bug | ${strategies.map((s) => `${s === 'portfolio' ? 'portfolio (default)' : s} found / median / max`).join(' | ')} |`;
  const rule = `| --- | ${strategies.map(() => '---').join(' | ')} |`;
  const rows = Object.entries(results).map(([bug, row]) => `| ${bug} | ${strategies.map((s) => {
    const st = row[s]!;
    return `${st.found}/${st.seeds} · ${st.executionsMedian ?? '–'} · ${st.executionsMax ?? '–'}`;
  }).join(' | ')} |`);
  return [head, rule, ...rows];
}

runIfEntry(import.meta.url, async () => {
  const args = process.argv.slice(2);
  const seeds = Number(args.find((a) => !a.startsWith('--')) ?? 20);
  const listed = args.find((a) => a.startsWith('--strategies='))?.slice('--strategies='.length);
  const strategies = listed !== undefined ? (listed.split(',') as StrategyName[]) : ZOO_BENCH_STRATEGIES;
  const results = await measureZooExecutions(seeds, strategies);
  const twins = args.includes('--twins') ? checkTwins(seeds) : null;
  if (args.includes('--markdown')) {
    for (const line of zooMarkdown(results, strategies)) console.log(line);
    if (twins !== null) {
      const dirty = Object.entries(twins).filter(([, s]) => s.length > 0);
      console.log(dirty.length === 0 ? `\nEvery fixed twin clean under the portfolio on seeds 1-${seeds}, full budget.` : `\nTWINS NOT CLEAN: ${JSON.stringify(Object.fromEntries(dirty))}`);
    }
    return null;
  }
  return { results, twins };
});
