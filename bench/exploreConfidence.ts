/**
 * Does the printed bound hold? For every zoo bug and every strategy that prints a bound (PCT,
 * the only one with a proof), run `executions` executions on each of `seeds` master seeds, count
 * the executions that hit the bug, and set the measured per-execution rate against the bound
 * the explorer prints for the same campaign: 1 / (n k^(d-1)), n = 1 + IRQ sources, k = the
 * larger of the change points' estimate and the most choice points an execution asked, d the
 * entry's depth. The bound is averaged over the seeds (each seed has its own k), as the
 * measured rate is. Strategies without a bound (pos, random, coverage-guided, portfolio) are
 * not listed: there is nothing to check.
 *
 *   node dist/bench/exploreConfidence.js [seeds] [executions per seed] [--markdown]
 */
import { ZOO } from '../examples/zoo/index.js';
import { irqSources } from '../src/actors/sim/irqSources.js';
import { pctPerExecution } from '../src/explore/confidence.js';
import { runIterations } from '../src/explore/iterations.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface ConfidenceRow {
  bug: string;
  strategy: 'pct';
  n: number;
  /** k over the seeds: least and most. */
  kMin: number;
  kMax: number;
  d: number;
  executions: number;
  hits: number;
  measuredRate: number;
  /** The printed per-execution bound, averaged over the seeds. */
  bound: number;
  holds: boolean;
}

export function measureConfidence(seeds: number, executionsPerSeed: number): ConfidenceRow[] {
  const rows: ConfidenceRow[] = [];
  for (const entry of ZOO) {
    let hits = 0;
    let boundSum = 0;
    let kMin = Infinity;
    let kMax = 0;
    let n = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const { scenario, spec } = zooCampaign(entry, 'pct', false, seed, executionsPerSeed);
      const keepGoing = { ...spec, keepGoing: true };
      const summaries = runIterations(scenario, keepGoing, 0, executionsPerSeed);
      hits += summaries.filter((s) => s.violation?.kind === entry.kind).length;
      const k = Math.max(spec.pctK, ...summaries.map((s) => s.irqPoints));
      n = 1 + irqSources(scenario.devices).length;
      kMin = Math.min(kMin, k);
      kMax = Math.max(kMax, k);
      boundSum += pctPerExecution(n, k, spec.params.depth);
    }
    const executions = seeds * executionsPerSeed;
    const bound = boundSum / seeds;
    const measuredRate = hits / executions;
    rows.push({ bug: entry.name, strategy: 'pct', n, kMin, kMax, d: entry.budget.depth, executions, hits, measuredRate, bound, holds: measuredRate >= bound });
  }
  return rows;
}

export function confidenceMarkdown(rows: readonly ConfidenceRow[]): string[] {
  const lines = [
    '| bug | strategy | n | k (min–max over seeds) | d | executions | hits | measured rate | printed bound | rate ≥ bound |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
  ];
  for (const r of rows) {
    lines.push(`| ${r.bug} | ${r.strategy} | ${r.n} | ${r.kMin}–${r.kMax} | ${r.d} | ${r.executions} | ${r.hits} | ${r.measuredRate.toFixed(4)} | ${r.bound.toPrecision(3)} | ${r.holds ? 'yes' : '**NO**'} |`);
  }
  return lines;
}

runIfEntry(import.meta.url, async () => {
  const [seeds = '50', executions = '40'] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const rows = measureConfidence(Number(seeds), Number(executions));
  if (process.argv.includes('--markdown')) {
    for (const line of confidenceMarkdown(rows)) console.log(line);
    if (rows.every((r) => r.holds)) return 'every printed bound holds';
    process.exitCode = 1;
    return 'A PRINTED BOUND DOES NOT HOLD';
  }
  return rows;
});
