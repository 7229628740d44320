/**
 * The words of a dfs campaign over several workloads: which workloads' bounded spaces were
 * exhausted and which were not (their share of the budget spent, a violation, a stop signal, or
 * never searched). "Exhausted" is said of the campaign only when every workload's space was.
 */
import type { DfsWorkloadOutcome, DfsWorkloadStatus } from './dfsWorkloads.js';

export type { DfsWorkloadOutcome } from './dfsWorkloads.js';

/** Past this many ranges a list of workloads is cut (the whole list is in --json `byWorkload`). */
const RANGES_MAX = 16;

/** Workload indices as ranges: 0-2, 5, 7-9. */
export function workloadRanges(indices: readonly number[]): string {
  const ranges: string[] = [];
  for (let i = 0; i < indices.length;) {
    let j = i;
    while (j + 1 < indices.length && indices[j + 1] === indices[j]! + 1) j++;
    ranges.push(i === j ? `${indices[i]}` : `${indices[i]}-${indices[j]}`);
    i = j + 1;
  }
  return ranges.length <= RANGES_MAX ? ranges.join(', ') : `${ranges.slice(0, RANGES_MAX).join(', ')}, … (--json byWorkload lists them all)`;
}

const STATUS_WORDS: readonly [DfsWorkloadStatus, string][] = [
  ['exhausted', 'exhausted'],
  ['budget', 'hit the budget'],
  ['violation', 'stopped at the violation'],
  ['cancelled', 'stopped by the signal'],
  ['notSearched', 'not searched'],
];

/** After the executions line: "the bounded space of each of the N workloads is exhausted", or for how many it is. */
export function dfsWorkloadsExhaustedWords(outcomes: readonly DfsWorkloadOutcome[]): string {
  const exhausted = outcomes.filter((o) => o.exhausted).length;
  return exhausted === outcomes.length
    ? `the bounded space of each of the ${outcomes.length} workloads is exhausted`
    : `the bounded space is exhausted for ${exhausted} of the ${outcomes.length} workloads`;
}

/** Every workload by how its search ended (indices; their seeds are in --json). */
export function dfsWorkloadLine(outcomes: readonly DfsWorkloadOutcome[]): string {
  const groups: string[] = [];
  for (const [status, words] of STATUS_WORDS) {
    const group = outcomes.filter((o) => o.status === status);
    if (group.length === 0) continue;
    const budgets = status === 'budget' ? ` (${budgetWords(group)})` : '';
    groups.push(`${words}${budgets} ${workloadRanges(group.map((o) => o.workload))}`);
  }
  return `workloads: ${groups.join('; ')}`;
}

function budgetWords(group: readonly DfsWorkloadOutcome[]): string {
  const budgets = group.map((o) => o.budget);
  const least = Math.min(...budgets);
  const most = Math.max(...budgets);
  const n = (value: number): string => value.toLocaleString('en-US');
  return `${least === most ? n(least) : `${n(least)}-${n(most)}`} executions each`;
}

/**
 * A clean campaign's claim: every workload's space exhausted, or which were (none: no claim).
 * A workload whose space was not exhausted is named, never covered by the claim.
 */
export function dfsWorkloadsClaim(outcomes: readonly DfsWorkloadOutcome[]): string | null {
  const exhausted = outcomes.filter((o) => o.exhausted).map((o) => o.workload);
  const others = outcomes.filter((o) => !o.exhausted).map((o) => o.workload);
  if (exhausted.length === 0) return null;
  if (others.length === 0) return `dfs: exhausted the bounded space of each of ${outcomes.length} workloads`;
  return `dfs: exhausted the bounded space of ${exhausted.length} of ${outcomes.length} workloads (${workloadRanges(exhausted)}); `
    + `no claim for the other ${others.length} (${workloadRanges(others)}), whose search ended before its space did`;
}
