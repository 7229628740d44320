/**
 * The client workloads of a campaign. A campaign's executions differ in their choices (IRQs,
 * event order, call now) and, with `workloads` N > 1, in their client workload too: a bug that
 * needs the VMs to do something one seed's workload never does (another VM current when a
 * lifecycle step comes, a trap that workload never makes) is out of reach of every choice.
 *
 * Workload 0 is the master seed's own, so N = 1 is a campaign of one workload exactly as before;
 * workload w > 0 draws from childSeedIndexed(seed, 'workload', w). Iteration i runs workload
 * floor(i / stride) mod N, where stride is the portfolio's member count (1 for a single
 * strategy): round-robin by the member's own executions, so every member meets every workload
 * (i mod N would pin a portfolio member to one workload when N is a multiple of four).
 */
import { childSeedIndexed } from '../shared/rng.js';
import { PORTFOLIO, type CampaignSpec, type StrategyName } from './spec.js';

/**
 * The default count, for every strategy but dfs. Measured (README "Hunting races"): the VCD
 * port's destroy race, missed by 1,000 portfolio executions of seed 1's one workload, is found
 * within the default budget; every zoo bug is still found.
 */
export const DEFAULT_WORKLOADS = 64;

/** The most workloads one campaign may spread over (each is kept as a tape while the range runs). */
export const MAX_WORKLOADS = 1024;

/** dfs exhausts the master seed's workload alone unless asked for N (one search per workload: dfsWorkloads.ts). */
export function defaultWorkloads(strategy: StrategyName): number {
  return strategy === 'dfs' ? 1 : DEFAULT_WORKLOADS;
}

/** N: absent in older specs and checkpoints, which ran one workload. */
export function workloadCount(spec: Pick<CampaignSpec, 'workloads'>): number {
  return spec.workloads ?? 1;
}

/** The seed of workload w of a campaign of master seed `seed`. */
export function workloadSeed(seed: number, w: number): number {
  return w === 0 ? seed : childSeedIndexed(seed, 'workload', w);
}

/** Which workload iteration i runs. */
export function workloadIndex(spec: Pick<CampaignSpec, 'workloads' | 'strategy'>, iteration: number): number {
  const n = workloadCount(spec);
  if (n === 1) return 0;
  const stride = spec.strategy === 'portfolio' ? PORTFOLIO.length : 1;
  return Math.floor(iteration / stride) % n;
}

/** The workload seed iteration i runs. */
export function workloadSeedAt(spec: Pick<CampaignSpec, 'workloads' | 'strategy' | 'seed'>, iteration: number): number {
  return workloadSeed(spec.seed, workloadIndex(spec, iteration));
}

/** Every workload seed of the campaign, workload 0 first. */
export function workloadSeeds(spec: Pick<CampaignSpec, 'workloads' | 'seed'>): number[] {
  return Array.from({ length: workloadCount(spec) }, (_, w) => workloadSeed(spec.seed, w));
}
