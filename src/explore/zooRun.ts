/**
 * `vmmsim explore --zoo`: every zoo bug hunted with its documented budget, by each strategy
 * asked for, and its fixed twin run with the same budget, which must stay clean. The first
 * strategy listed is the primary one: its numbers are the entry's headline (found, executions
 * to the first bug, shrunk steps, the trace to replay).
 */
import type { TraceFile } from '../shared/trace.js';
import { campaignSpec, explore } from './explore.js';
import type { Progress } from './progress.js';
import type { Scenario } from '../scenario/scenario.js';
import type { CampaignSpec, StrategyName } from './spec.js';
import type { ZooEntry } from './zooEntry.js';

export interface ZooRunOptions {
  seed: number;
  /** The primary strategy first. */
  strategies: readonly StrategyName[];
  workers: number;
  /** Override of every entry's iteration budget (tests use small ones). */
  iterations?: number;
  /** Client workloads of every campaign (default: campaignSpec's; dfs: 1). */
  workloads?: number;
  /** A progress display per campaign (a bug or its twin, one strategy). */
  progress?: (label: string, total: number) => Progress;
}

export interface ZooStrategyOutcome {
  found: boolean;
  /** The kind of the first violation, whether or not it is the expected one. */
  kindFound: string | null;
  executionsToFirstBug: number | null;
  executions: number;
  execsPerSec: number;
  shrunkSteps: number | null;
  fixedTwinClean: boolean;
  twinExecutions: number;
  /** dfs: whether the twin's bounded space was searched completely. */
  twinExhausted: boolean | null;
}

export interface ZooBugOutcome {
  name: string;
  title: string;
  kind: string;
  found: boolean;
  executionsToFirstBug: number | null;
  shrunkSteps: number | null;
  fixedTwinClean: boolean;
  strategies: Partial<Record<StrategyName, ZooStrategyOutcome>>;
  /** The primary strategy's shrunk trace. */
  trace: TraceFile | null;
}

/** The campaign that hunts a zoo bug (or checks its twin) with one strategy and the entry's budget. */
export function zooCampaign(
  entry: ZooEntry, strategy: StrategyName, fixed: boolean, seed: number, iterations?: number, workloads?: number,
): { scenario: Scenario; spec: CampaignSpec } {
  const scenario = entry.scenario(fixed);
  const b = entry.budget;
  const spec = campaignSpec({
    scenario, scenarioRef: { kind: 'zoo', name: entry.name, fixed }, strategy, seed,
    iterations: iterations ?? b.iterations, steps: strategy === 'dfs' ? b.dfsSteps : b.steps,
    params: strategy === 'dfs'
      ? { irqBudget: b.dfsIrqBound, preemptionBound: b.dfsPreemptionBound }
      : { depth: b.depth, irqBudget: b.irqBudget },
    ...(workloads !== undefined ? { workloads } : {}),
  });
  return { scenario, spec };
}

export async function runZooEntry(entry: ZooEntry, options: ZooRunOptions): Promise<ZooBugOutcome> {
  const strategies: Partial<Record<StrategyName, ZooStrategyOutcome>> = {};
  let trace: TraceFile | null = null;
  for (const [index, strategy] of options.strategies.entries()) {
    const hunt = async (fixed: boolean) => {
      const { scenario, spec } = zooCampaign(entry, strategy, fixed, options.seed, options.iterations, options.workloads);
      const progress = options.progress?.(`${entry.name}${fixed ? ' (fixed)' : ''} ${strategy}`, spec.iterations);
      try {
        return await explore(scenario, spec, {
          workers: options.workers, shrink: !fixed && index === 0, ...(progress !== undefined ? { hooks: progress.hooks } : {}),
        });
      } finally {
        progress?.stop();
      }
    };
    const bug = await hunt(false);
    const twin = await hunt(true);
    const first = bug.campaign.first;
    const found = first !== null && first.violation.kind === entry.kind;
    if (index === 0) trace = bug.trace;
    strategies[strategy] = {
      found, kindFound: first?.violation.kind ?? null,
      executionsToFirstBug: found ? first.iteration + 1 : null,
      executions: bug.campaign.executions, execsPerSec: Math.round(bug.execsPerSec),
      shrunkSteps: index === 0 && found ? (bug.trace?.steps ?? null) : null,
      fixedTwinClean: twin.campaign.first === null, twinExecutions: twin.campaign.executions, twinExhausted: twin.campaign.exhausted,
    };
  }
  const primary = strategies[options.strategies[0]!]!;
  return {
    name: entry.name, title: entry.title, kind: entry.kind, found: primary.found,
    executionsToFirstBug: primary.executionsToFirstBug, shrunkSteps: primary.shrunkSteps,
    fixedTwinClean: Object.values(strategies).every((s) => s.fixedTwinClean), strategies, trace,
  };
}
