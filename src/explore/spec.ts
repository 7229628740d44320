/**
 * What an exploration campaign is, as plain data: it crosses to worker threads, where each
 * worker loads the scenario by its reference and rebuilds every strategy from seeds. Nothing
 * live (no scenario object, no function) is ever sent.
 */
import type { SerializedChoices } from '../actors/sim/choiceLog.js';
import type { RunConfig, ScenarioRef } from '../shared/trace.js';
import type { WindowCounts } from './coverage.js';

export const STRATEGIES = ['random', 'pct', 'dfs'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export interface StrategyParams {
  /** pct: bug depth D (D-1 priority change points). */
  depth: number;
  /** random, pct: interrupts one execution may raise; dfs: its IRQ bound. */
  irqBudget: number;
  /** random: chance that an eligible source asserts at a preemption point. */
  irqChance: number;
  /** dfs: IRQs taken inside ring-0 code per execution (the preemption bound). */
  preemptionBound: number;
}

export const DEFAULT_PARAMS: Readonly<Record<StrategyName, StrategyParams>> = {
  random: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  pct: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  dfs: { depth: 2, irqBudget: 2, irqChance: 0.1, preemptionBound: 2 },
};

/** Which violations end an execution (and count as found): any, or only VMM invariant breaks. */
export type StopClass = 'any' | 'vmm';

export interface CampaignSpec {
  scenarioRef: ScenarioRef;
  strategy: StrategyName;
  /** The master seed: the workload seed of every execution, and the root of the strategy seeds. */
  seed: number;
  /** Executions at most. */
  iterations: number;
  /** Client steps per execution (the step bound). */
  steps: number;
  config: RunConfig;
  params: StrategyParams;
  stopOn: StopClass;
  /** Go on after a violation (to count distinct ones) instead of stopping at the first. */
  keepGoing: boolean;
  /** pct: k, the choice points one execution is expected to have. */
  pctK: number;
  /** dfs: prune explored states, fork from snapshots (default: both; both off = stateless). */
  dfsState?: { prune: boolean; fork: boolean };
}

export interface ViolationSummary {
  kind: string;
  severity: 'device' | 'vmm';
  message: string;
  device: string;
  seq: number;
}

/** One execution, as the campaign keeps it. */
export interface ExecutionSummary {
  iteration: number;
  strategySeed: number;
  traceHash: string;
  steps: number;
  /** IRQ choice points the execution asked (what PCT's k estimates). */
  irqPoints: number;
  irqs: number;
  /** The violation that stopped it (of the campaign's stop class), if any. */
  violation: ViolationSummary | null;
  windows: WindowCounts;
  /** The recorded choices, kept only for a violating execution (to write its trace). */
  choices: SerializedChoices | null;
}
