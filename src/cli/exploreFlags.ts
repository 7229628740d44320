/**
 * Which `explore` flags apply to which strategy. A flag the chosen strategy would ignore is a
 * usage error (exit 2) when given, never silently dropped: `--depth 5 --strategy random` must not
 * look like a search at depth 5. A flag that a portfolio member reads is accepted for the
 * portfolio (it goes to that member).
 */
import type { StrategyName } from '../explore/spec.js';
import { refuse, type Given } from './given.js';
import { UsageError } from './errors.js';

/** Strategy parameters (attribute → flag) and the strategies that read each. */
const STRATEGY_FLAGS: readonly { attribute: string; flag: string; readBy: readonly StrategyName[] }[] = [
  { attribute: 'depth', flag: '--depth', readBy: ['pct', 'portfolio'] },
  { attribute: 'irqChance', flag: '--irq-chance', readBy: ['random', 'guided', 'portfolio'] },
  { attribute: 'preemptionBound', flag: '--preemption-bound', readBy: ['dfs'] },
  { attribute: 'stateless', flag: '--stateless', readBy: ['dfs'] },
  { attribute: 'workloads', flag: '--workloads', readBy: ['portfolio', 'pct', 'pos', 'random', 'guided', 'dfs'] },
];

/** What `explore --zoo` reads; each zoo entry brings its own scenario, steps and parameters. */
const ZOO_IGNORES: Record<string, string> = {
  steps: '--steps', vms: '--vms', depth: '--depth', irqBudget: '--irq-budget', irqChance: '--irq-chance',
  preemptionBound: '--preemption-bound', latitude: '--latitude', handles: '--handles', keepGoing: '--keep-going',
  vmmOnly: '--vmm-only', shrink: '--no-shrink', stateless: '--stateless',
};

export interface ExploreFlagContext {
  zoo: boolean;
  strategy: StrategyName | undefined;
  queued: boolean;
}

/** Throws a UsageError naming the first given flag that the chosen run would ignore. */
export function checkExploreFlags(given: Given, c: ExploreFlagContext): void {
  if (!c.queued) refuse(given, { campaign: '--campaign', chunk: '--chunk' }, 'needs --queue');
  if (c.zoo) {
    if (c.queued) throw new UsageError('explore --zoo runs here; --queue takes one scenario');
    refuse(given, ZOO_IGNORES, "does not apply to --zoo (each zoo entry has its own scenario, steps and strategy parameters)");
  }
  const strategy = c.strategy ?? 'portfolio';
  for (const { attribute, flag, readBy } of STRATEGY_FLAGS) {
    if (given(attribute) && !readBy.includes(strategy)) {
      throw new UsageError(`${flag} does not apply to --strategy ${strategy} (it is read by ${readBy.join(', ')})`);
    }
  }
  if (c.queued && given('watchdog')) throw new UsageError('--watchdog is for local runs; with --queue, device code runs on the workers, whose watchdog has its default bound of 3 s');
  if (c.queued && given('workers')) throw new UsageError('--workers is for local runs; with --queue, start more workers (vmmsim worker --concurrency N)');
  if (strategy === 'dfs' && given('workers') && !given('workloads')) throw new UsageError('--workers does not apply to --strategy dfs of one workload (a depth-first search runs on one worker; --workloads N runs N searches in parallel)');
}
