/**
 * Shrinking on the bug zoo: for each bug, the first find of PCT and of dfs (master seed 1, the
 * entry's budget), its size before and after shrinking, the time it took, and whether the
 * result is 1-minimal.
 *
 *   node dist/bench/shrinkZoo.js [seed]
 */
import { performance } from 'node:perf_hooks';
import { ZOO } from '../examples/zoo/index.js';
import { ChoiceLog } from '../src/actors/sim/choiceLog.js';
import { runCampaignHere } from '../src/explore/campaign.js';
import { shrink, type TraceSize } from '../src/explore/shrink.js';
import type { StrategyName } from '../src/explore/spec.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface ZooShrink {
  bug: string;
  strategy: StrategyName;
  kind: string | null;
  before: TraceSize | null;
  after: TraceSize | null;
  minimal: boolean | null;
  candidates: number;
  elapsedMs: number;
}

export async function measureShrinkZoo(seed: number): Promise<ZooShrink[]> {
  const out: ZooShrink[] = [];
  for (const entry of ZOO) {
    for (const strategy of ['pct', 'dfs'] as const) {
      const { scenario, spec } = zooCampaign(entry, strategy, false, seed);
      const first = runCampaignHere(scenario, spec).first;
      if (first === null) {
        out.push({ bug: entry.name, strategy, kind: null, before: null, after: null, minimal: null, candidates: 0, elapsedMs: 0 });
        continue;
      }
      const started = performance.now();
      const result = await shrink({
        scenario, scenarioRef: spec.scenarioRef, seed: first.workloadSeed, steps: first.steps, config: spec.config, stopOn: spec.stopOn,
        choices: ChoiceLog.deserialize(first.choices ?? []), kind: first.violation.kind, strategyName: strategy,
      });
      out.push({
        bug: entry.name, strategy, kind: first.violation.kind, before: result.before, after: result.after, minimal: result.minimal,
        candidates: result.candidates, elapsedMs: Math.round(performance.now() - started),
      });
    }
  }
  return out;
}

runIfEntry(import.meta.url, async () => measureShrinkZoo(Number(process.argv[2] ?? 1)));
