/**
 * dfs over N client workloads (`--strategy dfs --workloads N`): one bounded exhaustive search per
 * workload, in workload order, each on its own tree and its own explored states.
 *
 * The budget: `--iterations` stays the campaign's executions at most, cut into fixed shares,
 * workload w getting floor(I / N), one more for w < I mod N. A fixed share (not what the earlier
 * workloads left over) makes workload w's search depend on (spec, w) alone, so the N searches run
 * in parallel on a pool with the one-thread result, and N = 1 is the one-workload dfs exactly
 * (its share is the whole budget; its seed the master seed).
 *
 * The fold is in workload order, as the searches would run one after another: executions are
 * numbered across workloads (workload w's first is the one after workload w-1's last), and
 * without --keep-going the campaign stops at the first workload whose search found a violation;
 * the later workloads are reported as not searched.
 */
import type { Scenario } from '../scenario/scenario.js';
import { StatefulDfs, type StateCounts } from '../state/statefulDfs.js';
import type { CampaignAccumulator, CampaignHooks } from './campaign.js';
import type { CampaignSpec } from './spec.js';
import { workloadCount, workloadSeed } from './workloads.js';

/**
 * How one workload's search ended: its bounded space exhausted, its share of the budget spent,
 * stopped at a violation, stopped by a stop signal, or never started (an earlier workload's
 * violation or a stop signal ended the campaign first).
 */
export type DfsWorkloadStatus = 'exhausted' | 'budget' | 'violation' | 'cancelled' | 'notSearched';

export interface DfsWorkloadOutcome {
  /** The workload's index (0: the master seed's own). */
  workload: number;
  seed: number;
  /** Its share of --iterations. */
  budget: number;
  executions: number;
  exhausted: boolean;
  status: DfsWorkloadStatus;
  /** Its executions that found a violation (of the campaign's stop class). */
  violations: number;
  /** States met at step boundaries, met again, pruned (zeros when stateless). */
  states: StateCounts;
}

/** Workload w's share of the campaign's executions. */
export function dfsWorkloadBudget(spec: Pick<CampaignSpec, 'iterations' | 'workloads'>, w: number): number {
  const n = workloadCount(spec);
  return Math.floor(spec.iterations / n) + (w < spec.iterations % n ? 1 : 0);
}

/** Workload w's search as a one-workload dfs campaign: its seed and its share. */
export function dfsWorkloadSpec(spec: CampaignSpec, w: number): CampaignSpec {
  const { workloads: _all, ...one } = spec;
  return { ...one, seed: workloadSeed(spec.seed, w), iterations: dfsWorkloadBudget(spec, w) };
}

/** A workload the campaign ended before. */
export function notSearched(spec: CampaignSpec, w: number): DfsWorkloadOutcome {
  return {
    workload: w, seed: workloadSeed(spec.seed, w), budget: dfsWorkloadBudget(spec, w), executions: 0, exhausted: false,
    status: 'notSearched', violations: 0, states: { distinct: 0, revisited: 0, pruned: 0 },
  };
}

export interface WorkloadSearchOptions {
  /** The campaign's executions before this workload's: this search's first execution is numbered after them. */
  offset: number;
  hooks?: CampaignHooks;
}

/**
 * Workload w's bounded exhaustive search, folded into `acc` (one execution after another, each
 * depending on the one before: the tree). Stateful unless spec.dfsState says otherwise.
 */
export function searchWorkload(scenario: Scenario, spec: CampaignSpec, w: number, acc: CampaignAccumulator, options: WorkloadSearchOptions): DfsWorkloadOutcome {
  const one = dfsWorkloadSpec(spec, w);
  const search = new StatefulDfs(scenario, one, spec.dfsState ?? { prune: true, fork: true });
  const tree = search.tree;
  const { hooks } = options;
  let executions = 0;
  let violations = 0;
  let exhausted = false;
  let stoppedAtViolation = false;
  for (let i = 0; i < one.iterations; i++) {
    if (hooks?.cancelled?.()) break;
    const summary = search.execute(options.offset + i);
    executions++;
    if (summary.violation !== null) violations++;
    const goOn = acc.add(summary);
    hooks?.onExecution?.(summary, acc);
    stoppedAtViolation = !goOn;
    if (!tree.advance()) {
      exhausted = true;
      break;
    }
    if (!goOn) break;
  }
  // The tree's last execution may be the violating one: the space is then exhausted all the same.
  const status: DfsWorkloadStatus = exhausted ? 'exhausted'
    : stoppedAtViolation ? 'violation'
      : executions === one.iterations ? 'budget' : 'cancelled';
  return { workload: w, seed: one.seed, budget: one.iterations, executions, exhausted, status, violations, states: { ...search.states } };
}

/** Whether the campaign goes on to the next workload: without --keep-going, not past a violation. */
export function campaignGoesOn(outcome: DfsWorkloadOutcome, keepGoing: boolean): boolean {
  return keepGoing || outcome.violations === 0;
}

/** The campaign's states: every workload's, summed. */
export function sumStates(outcomes: readonly DfsWorkloadOutcome[]): StateCounts {
  const sum: StateCounts = { distinct: 0, revisited: 0, pruned: 0 };
  for (const { states } of outcomes) {
    sum.distinct += states.distinct;
    sum.revisited += states.revisited;
    sum.pruned += states.pruned;
    if (states.statelessFrom !== undefined) sum.statelessFrom ??= states.statelessFrom;
  }
  return sum;
}
