/**
 * The campaign loop: iterations in order, each one execution, folded into one result. The fold
 * (CampaignAccumulator) is the same whether executions ran here or on a worker pool, and takes
 * them in iteration order, so the result does not depend on how many workers ran them.
 */
import type { Scenario } from '../scenario/scenario.js';
import { StatefulDfs, type StateCounts } from '../state/statefulDfs.js';
import { CoverageTotals } from './coverage.js';
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

export interface CampaignResult {
  executions: number;
  /** The first execution that found a violation (with its recorded choices). */
  first: (ExecutionSummary & { violation: ViolationSummary }) | null;
  distinct: DistinctViolation[];
  coverage: CoverageTotals;
  /** The most IRQ choice points one execution asked. */
  irqPointsMax: number;
  /**
   * Distinct runs among the executions (by trace hash), counted up to DISTINCT_RUNS_CAP: two
   * executions with one trace hash are one run, so "N executions" explored no more than this.
   */
  distinctRuns: number;
  /** dfs only: whether the bounded space was searched completely. */
  exhausted: boolean | null;
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
}

/** A fold as plain data (a coordinator's checkpoint): every field of the accumulator, so a restored fold ends as the uninterrupted one. */
export interface AccumulatorState {
  executions: number;
  first: CampaignResult['first'];
  distinct: DistinctViolation[];
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
    const v = summary.violation;
    if (v === null) return true;
    const found = summary as ExecutionSummary & { violation: ViolationSummary };
    this.first ??= found;
    const seen = this.distinct.get(v.kind);
    if (seen !== undefined) seen.executions++;
    else this.distinct.set(v.kind, { kind: v.kind, severity: v.severity, executions: 1, firstIteration: summary.iteration, message: v.message });
    return this.keepGoing;
  }

  save(): AccumulatorState {
    return {
      executions: this.executions, first: this.first, distinct: [...this.distinct.values()].map((d) => ({ ...d })),
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
      executions: this.executions, first: this.first, distinct: [...this.distinct.values()], coverage: this.coverage,
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
 * (the tree), so it runs on one thread whatever the worker count. Stateful by default: pruning
 * states already explored, forking from snapshots (src/state/statefulDfs.ts).
 */
function runDfs(scenario: Scenario, spec: CampaignSpec, acc: CampaignAccumulator, hooks: CampaignHooks): CampaignResult {
  if (workloadCount(spec) !== 1) throw new Error('dfs exhausts one workload (the master seed\'s): a campaign of several workloads is not a dfs one');
  const search = new StatefulDfs(scenario, spec, spec.dfsState ?? { prune: true, fork: true });
  const tree = search.tree;
  acc.exhausted = false;
  acc.states = search.states;
  for (let i = 0; i < spec.iterations; i++) {
    if (hooks.cancelled?.()) break;
    const summary = search.execute(i);
    const goOn = acc.add(summary);
    hooks.onExecution?.(summary, acc);
    if (!tree.advance()) {
      acc.exhausted = true;
      break;
    }
    if (!goOn) break;
  }
  return acc.result();
}
