/**
 * What an exploration campaign is, as plain data: it crosses to worker threads, where each
 * worker loads the scenario by its reference and rebuilds every strategy from seeds. Nothing
 * live (no scenario object, no function) is ever sent.
 */
import type { SerializedChoices } from '../actors/sim/choiceLog.js';
import type { RunConfig, ScenarioRef } from '../shared/trace.js';
import type { WindowCounts } from './coverage.js';

export const STRATEGIES = ['portfolio', 'pct', 'pos', 'random', 'guided', 'dfs'] as const;
export type StrategyName = (typeof STRATEGIES)[number];
/** The strategies one execution can run under (the portfolio is a mix of them). */
export type MemberName = Exclude<StrategyName, 'portfolio' | 'dfs'>;
/**
 * The default: iteration i runs under PORTFOLIO[i % 4]. Round-robin by execution, so each
 * member gets a quarter of any budget, and a member's blind spot costs the mix at most a
 * factor of four in executions on a bug another member finds.
 */
export const PORTFOLIO: readonly MemberName[] = ['pct', 'pos', 'random', 'guided'];

export interface StrategyParams {
  /** pct: bug depth D (D-1 priority change points). */
  depth: number;
  /** random, guided: interrupts one execution may raise; pct, pos: per IRQ source; dfs: its IRQ bound. */
  irqBudget: number;
  /** random, guided: chance that an eligible source asserts at a preemption point. */
  irqChance: number;
  /** dfs: IRQs taken inside ring-0 code per execution (the preemption bound). */
  preemptionBound: number;
}

export const DEFAULT_PARAMS: Readonly<Record<StrategyName, StrategyParams>> = {
  portfolio: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  pct: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  pos: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  random: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  guided: { depth: 2, irqBudget: 8, irqChance: 0.1, preemptionBound: 2 },
  dfs: { depth: 2, irqBudget: 2, irqChance: 0.1, preemptionBound: 2 },
};

/** Which violations end an execution (and count as found): any, or only VMM invariant breaks. */
export type StopClass = 'any' | 'vmm';

export interface CampaignSpec {
  scenarioRef: ScenarioRef;
  strategy: StrategyName;
  /** The master seed: workload 0's seed, the root of the other workloads' and of the strategy seeds. */
  seed: number;
  /**
   * Client workloads the executions are spread over (src/explore/workloads.ts); absent: 1, the
   * master seed's alone (older specs and checkpoints).
   */
  workloads?: number;
  /** Executions at most. */
  iterations: number;
  /** Client steps per execution (the step bound). */
  steps: number;
  config: RunConfig;
  params: StrategyParams;
  stopOn: StopClass;
  /** Go on after a violation (to count distinct ones) instead of stopping at the first. */
  keepGoing: boolean;
  /** pct (alone or in the portfolio): k, the choice points one execution is expected to have. */
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
  /** User code threw (kind deviceThrew or invariantThrew, see thrown.ts): where. Absent for a violation. */
  thrown?: { device: string | null; proc: string | null; invariant: string | null; location: string | null };
}

/** A kind of checker warning an execution met: its first message. */
export interface WarningSummary {
  kind: string;
  message: string;
}

/** One execution, as the campaign keeps it. */
export interface ExecutionSummary {
  iteration: number;
  /** The strategy this execution ran under (a portfolio member, or the campaign's own). */
  strategy: StrategyName;
  strategySeed: number;
  /** The seed of the client workload it ran (the master seed when the campaign has one workload). */
  workloadSeed: number;
  traceHash: string;
  steps: number;
  /** IRQ choice points the execution asked (what PCT's k estimates). */
  irqPoints: number;
  irqs: number;
  /** The violation that stopped it (of the campaign's stop class), if any. */
  violation: ViolationSummary | null;
  windows: WindowCounts;
  /** The checker's warnings (legal, but often a bug's sign): the first of each kind, in the order met; most executions have none. */
  warnings: readonly WarningSummary[];
  /** The recorded choices, kept only for a violating execution (to write its trace). */
  choices: SerializedChoices | null;
}
