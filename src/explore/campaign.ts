/**
 * The campaign loop: iterations in order, each one execution, folded into one result. The fold
 * (CampaignAccumulator) is the same whether executions ran here or on a worker pool, and takes
 * them in iteration order, so the result does not depend on how many workers ran them.
 */
import type { Scenario } from '../scenario/scenario.js';
import type { StateCounts } from '../state/statefulDfs.js';
import { CoverageTotals } from './coverage.js';
import { campaignGoesOn, notSearched, searchWorkload, sumStates, type DfsWorkloadOutcome } from './dfsWorkloads.js';
import { iterate, runIterations } from './iterations.js';
import type { CampaignSpec, ExecutionSummary, ViolationSummary } from './spec.js';
import { workloadCount } from './workloads.js';

export interface DistinctViolation {
  kind: string;
  severity: 'device' | 'vmm';
  executions: number;
  firstIteration: number;
  message: string;
}

/** A kind of checker warning the campaign's executions met: how many met it, and the first that did. */
export interface WarnedKind {
  kind: string;
  executions: number;
  firstIteration: number;
  message: string;
}

export interface CampaignResult {
  executions: number;
  /** The first execution that found a violation (with its recorded choices). */
  first: (ExecutionSummary & { violation: ViolationSummary }) | null;
  distinct: DistinctViolation[];
  /** The checker's warnings the executions met (not violations: nothing stops on them), by kind in the order first met. */
  warnings: WarnedKind[];
  coverage: CoverageTotals;
  /** The most IRQ choice points one execution asked. */
  irqPointsMax: number;
  /**
   * Distinct runs among the executions (by trace hash), counted up to DISTINCT_RUNS_CAP: two
   * executions with one trace hash are one run, so "N executions" explored no more than this.
   */
  distinctRuns: number;
  /** dfs only: whether the bounded space was searched completely (of every workload, with several). */
  exhausted: boolean | null;
  /** dfs only: each workload's search, workload 0 first (absent in results of other strategies). */
  dfsWorkloads?: DfsWorkloadOutcome[];
  /** dfs only: states met at step boundaries, met again, and pruned (zeros when stateless). */
  states: StateCounts | null;
  /** Executions per strategy that ran them (the portfolio's members; one entry otherwise). */
  byStrategy: Record<string, number>;
}

export interface CampaignHooks {
  /** Every execution, in iteration order. */
  onExecution?(summary: ExecutionSummary, acc: CampaignAccumulator): void;
  /** Polled between executions: true stops the campaign (SIGINT). */
  cancelled?(): boolean;
  /** A whole range of executions folded at once (a dfs workload searched on a pool). */
  onFold?(acc: CampaignAccumulator): void;
}

/** A fold as plain data (a coordinator's checkpoint): every field of the accumulator, so a restored fold ends as the uninterrupted one. */
export interface AccumulatorState {
  executions: number;
  first: CampaignResult['first'];
  distinct: DistinctViolation[];
  /** Absent in checkpoints written before warnings were counted. */
  warnings?: WarnedKind[];
  coverage: { executions: number[]; hits: number[] };
  irqPointsMax: number;
  /** The trace hashes of the distinct runs so far, at most DISTINCT_RUNS_CAP (absent in older checkpoints). */
  runHashes?: string[];
  exhausted: boolean | null;
  states: StateCounts | null;
  byStrategy: Record<string, number>;
}

/** Distinct runs are counted up to here: enough to tell one run repeated from a search, in bounded memory. */
export const DISTINCT_RUNS_CAP = 1024;

export class CampaignAccumulator {
  executions = 0;
  first: CampaignResult['first'] = null;
  readonly distinct = new Map<string, DistinctViolation>();
  readonly warned = new Map<string, WarnedKind>();
  readonly coverage = new CoverageTotals();
  irqPointsMax = 0;
  private readonly runHashes = new Set<string>();
  exhausted: boolean | null = null;
  states: StateCounts | null = null;
  /**
   * Executions per strategy member. A Map, not an object keyed by name: a new campaign's empty
   * object took its first key as a new shape at the store in `add`, which deoptimized the
   * campaign loop the executions are inlined into (measured: the next campaign of a process ran
   * its first thousand executions at half speed while V8 compiled them again).
   */
  private readonly perStrategy = new Map<string, number>();

  constructor(private readonly keepGoing: boolean) {}

  /** Folds one execution in; false when the campaign stops here. */
  add(summary: ExecutionSummary): boolean {
    this.executions++;
    this.perStrategy.set(summary.strategy, (this.perStrategy.get(summary.strategy) ?? 0) + 1);
    this.coverage.add(summary.windows);
    this.irqPointsMax = Math.max(this.irqPointsMax, summary.irqPoints);
    if (this.runHashes.size < DISTINCT_RUNS_CAP) this.runHashes.add(summary.traceHash);
    for (const w of summary.warnings) {
      const seen = this.warned.get(w.kind);
      if (seen !== undefined) seen.executions++;
      else this.warned.set(w.kind, { kind: w.kind, executions: 1, firstIteration: summary.iteration, message: w.message });
    }
    const v = summary.violation;
    if (v === null) return true;
    const found = summary as ExecutionSummary & { violation: ViolationSummary };
    this.first ??= found;
    const seen = this.distinct.get(v.kind);
    if (seen !== undefined) seen.executions++;
    else this.distinct.set(v.kind, { kind: v.kind, severity: v.severity, executions: 1, firstIteration: summary.iteration, message: v.message });
    return this.keepGoing;
  }

  /**
   * Folds in the fold of a later range whose executions were numbered from 0 (a workload's
   * search on a pool worker); `offset` is the executions before it. The same as adding its
   * executions one by one, for every field the result reads: the distinct runs kept are another
   * subset, but their count is the same (it only caps).
   */
  merge(state: AccumulatorState, offset: number): void {
    this.executions += state.executions;
    for (const [name, executions] of Object.entries(state.byStrategy)) this.perStrategy.set(name, (this.perStrategy.get(name) ?? 0) + executions);
    state.coverage.executions.forEach((n, i) => (this.coverage.executions[i]! += n));
    state.coverage.hits.forEach((n, i) => (this.coverage.hits[i]! += n));
    this.irqPointsMax = Math.max(this.irqPointsMax, state.irqPointsMax);
    for (const hash of state.runHashes ?? []) {
      if (this.runHashes.size >= DISTINCT_RUNS_CAP) break;
      this.runHashes.add(hash);
    }
    if (state.first !== null) this.first ??= { ...state.first, iteration: state.first.iteration + offset };
    for (const d of state.distinct) {
      const seen = this.distinct.get(d.kind);
      if (seen !== undefined) seen.executions += d.executions;
      else this.distinct.set(d.kind, { ...d, firstIteration: d.firstIteration + offset });
    }
    for (const w of state.warnings ?? []) {
      const seen = this.warned.get(w.kind);
      if (seen !== undefined) seen.executions += w.executions;
      else this.warned.set(w.kind, { ...w, firstIteration: w.firstIteration + offset });
    }
  }

  save(): AccumulatorState {
    return {
      executions: this.executions, first: this.first, distinct: [...this.distinct.values()].map((d) => ({ ...d })),
      warnings: [...this.warned.values()].map((w) => ({ ...w })),
      coverage: { executions: [...this.coverage.executions], hits: [...this.coverage.hits] }, irqPointsMax: this.irqPointsMax,
      runHashes: [...this.runHashes], exhausted: this.exhausted, states: this.states === null ? null : { ...this.states }, byStrategy: this.byStrategy,
    };
  }

  /** Executions per strategy member, in the order each first ran. */
  get byStrategy(): Record<string, number> {
    return Object.fromEntries(this.perStrategy);
  }

  static restore(state: AccumulatorState, keepGoing: boolean): CampaignAccumulator {
    const acc = new CampaignAccumulator(keepGoing);
    acc.executions = state.executions;
    acc.first = state.first;
    for (const d of state.distinct) acc.distinct.set(d.kind, { ...d });
    for (const w of state.warnings ?? []) acc.warned.set(w.kind, { ...w });
    state.coverage.executions.forEach((n, i) => (acc.coverage.executions[i] = n));
    state.coverage.hits.forEach((n, i) => (acc.coverage.hits[i] = n));
    acc.irqPointsMax = state.irqPointsMax;
    for (const hash of state.runHashes ?? []) acc.runHashes.add(hash);
    acc.exhausted = state.exhausted ?? null;
    acc.states = state.states === null || state.states === undefined ? null : { ...state.states };
    for (const [name, executions] of Object.entries(state.byStrategy ?? {})) acc.perStrategy.set(name, executions);
    return acc;
  }

  result(): CampaignResult {
    return {
      executions: this.executions, first: this.first, distinct: [...this.distinct.values()], warnings: [...this.warned.values()], coverage: this.coverage,
      irqPointsMax: this.irqPointsMax, distinctRuns: this.runHashes.size, exhausted: this.exhausted, states: this.states, byStrategy: this.byStrategy,
    };
  }
}

/** Iterations [from, to); stops after the first violation unless keepGoing. Plain data in and out. */
export function runSeededBatch(scenario: Scenario, spec: CampaignSpec, from: number, to: number): ExecutionSummary[] {
  return runIterations(scenario, spec, from, to);
}

/** The whole campaign on this thread. */
export function runCampaignHere(scenario: Scenario, spec: CampaignSpec, hooks: CampaignHooks = {}): CampaignResult {
  const acc = new CampaignAccumulator(spec.keepGoing);
  if (spec.strategy === 'dfs') return runDfs(scenario, spec, acc, hooks);
  const executions = iterate(scenario, spec, 0, spec.iterations);
  while (!hooks.cancelled?.()) {
    const next = executions.next();
    if (next.done === true) break;
    const goOn = acc.add(next.value);
    hooks.onExecution?.(next.value, acc);
    if (!goOn) break;
  }
  return acc.result();
}

/**
 * Bounded exhaustive search: one execution after another, each depending on the one before
 * (the tree), so one workload's search runs on one thread. Stateful by default: pruning
 * states already explored, forking from snapshots (src/state/statefulDfs.ts). With several
 * workloads, their searches one after another (dfsWorkloads.ts; dfsPool.ts runs them in parallel).
 */
function runDfs(scenario: Scenario, spec: CampaignSpec, acc: CampaignAccumulator, hooks: CampaignHooks): CampaignResult {
  const outcomes: DfsWorkloadOutcome[] = [];
  let goOn = true;
  for (let w = 0; w < workloadCount(spec); w++) {
    const outcome = goOn ? searchWorkload(scenario, spec, w, acc, { offset: acc.executions, hooks }) : notSearched(spec, w);
    goOn &&= campaignGoesOn(outcome, spec.keepGoing);
    outcomes.push(outcome);
  }
  return dfsResult(acc, outcomes);
}

/** The campaign's result from its fold and its workloads' searches: exhausted only if every one was. */
export function dfsResult(acc: CampaignAccumulator, outcomes: DfsWorkloadOutcome[]): CampaignResult {
  acc.exhausted = outcomes.every((o) => o.exhausted);
  acc.states = sumStates(outcomes);
  return { ...acc.result(), dfsWorkloads: outcomes };
}
