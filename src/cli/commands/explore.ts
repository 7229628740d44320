/**
 * `vmmsim explore [scenario]`: search a scenario's interleavings for bugs with a strategy
 * (the portfolio by default; pct, pos, random, coverage-guided, dfs), shrink the first violation found, write its trace and print the command
 * that replays it. `vmmsim explore --zoo`: hunt every bug of the zoo and check its fixed twin.
 *
 * This file is the main thread's side: the options, and the input checked before the campaign
 * runs on a watched worker (exploreTask.ts). It loads the explorer, the zoo and the scenario
 * loader only when a command runs, so that every other command starts without them.
 */
import type { Command } from 'commander';
import { DEFAULT_EXPLORE_STEPS, EXPLORE_STEPS_MAX, executionShape } from '../../explore/executionShape.js';
import { executionBoardBuffer } from '../../explore/executionBoard.js';
import type { Scenario } from '../../scenario/scenario.js';
import { ExecutionHung } from '../runFaultReport.js';
import { STRATEGIES, type StrategyName } from '../../explore/spec.js';
import { DEFAULT_WORKLOADS, MAX_WORKLOADS } from '../../explore/workloads.js';
import type { ScenarioRef } from '../../shared/trace.js';
import { campaignNameOption, queueUrlOption } from '../../distributed/options.js';
import type { QueueUrl } from '../../distributed/queueUrl.js';
import { UsageError } from '../errors.js';
import { checkOutputDir } from '../outputPaths.js';
import { checkExploreFlags } from '../exploreFlags.js';
import { givenOf, type Given } from '../given.js';
import { newRunId, scenarioLabel } from '../../shared/runId.js';
import { runWatched } from '../watched.js';
import { watchdogOption } from '../machineOptions.js';
import { integer, oneOf, positiveNumber, seed } from '../parse.js';
import { shellLine } from '../../shared/shellWord.js';

export interface ExploreFlags {
  zoo?: boolean;
  strategy?: StrategyName;
  iterations?: number;
  seed: number;
  workloads?: number;
  depth?: number;
  steps?: number;
  workers: number;
  vms?: number;
  irqBudget?: number;
  irqChance?: number;
  preemptionBound?: number;
  latitude?: boolean;
  handles?: 'checked' | 'pooled';
  keepGoing?: boolean;
  vmmOnly?: boolean;
  shrink: boolean;
  stateless?: boolean;
  json?: boolean;
  out: string;
  /** Milliseconds. */
  watchdog: number;
  queue?: QueueUrl;
  campaign?: string;
  chunk?: number;
}

export const DEFAULT_ITERATIONS = 1000;

export function addExploreCommand(program: Command, setExit: (code: number) => void, argv: string[]): void {
  program
    .command('explore [scenario]')
    .description("search a scenario's interleavings for bugs (a scenario module, or 'default'); --zoo hunts the bug zoo")
    .option('--zoo', 'hunt every zoo bug and its fixed twin with its documented budget')
    .option('--strategy <name>', 'portfolio (default: pct, pos, random and coverage-guided in turn), pct, pos, random, guided or dfs; with --zoo, default portfolio, pct, pos, random, guided', oneOf('--strategy', STRATEGIES))
    .option('--iterations <n>', `executions at most (default ${DEFAULT_ITERATIONS}; with --zoo, each entry's budget)`, integer('--iterations', 1, 100_000_000))
    .option('--seed <n>', "master seed (an integer, or 'random')", seed, 1)
    .option('--workloads <n>', `client workloads the executions are spread over, workload 0 the seed's own (default ${DEFAULT_WORKLOADS}; dfs: 1, and N searches one per workload)`, integer('--workloads', 1, MAX_WORKLOADS))
    .option('--depth <d>', 'pct (alone or in the portfolio): bug depth D (D-1 priority change points)', integer('--depth', 1, 64))
    .option('--steps <n>', `client steps per execution (default: the scenario's, else ${DEFAULT_EXPLORE_STEPS})`, integer('--steps', 1, EXPLORE_STEPS_MAX))
    .option('--workers <w>', 'parallel workers (same results as one; at most one per 256 executions); dfs: its workloads\' searches in parallel (with --workloads N)', integer('--workers', 1, 256), 1)
    .option('--vms <n>', "VMs of the built-in 'default' scenario", integer('--vms', 1, 64))
    .option('--irq-budget <n>', 'interrupts per execution (random, guided), per IRQ source (pct, pos); dfs: its IRQ bound', integer('--irq-budget', 0, 1_000_000))
    .option('--irq-chance <p>', 'random, guided: chance an eligible IRQ source asserts at a preemption point', positiveNumber('--irq-chance', 1))
    .option('--preemption-bound <n>', 'dfs: IRQs taken inside ring-0 code per execution', integer('--preemption-bound', 0, 1_000_000))
    .option('--latitude', "let the VMM schedule a Call_XX_Event it could call now (SPEC §3 'latitude')")
    .option('--handles <mode>', "checked or pooled (default: the scenario's)", oneOf('--handles', ['checked', 'pooled'] as const))
    .option('--keep-going', 'go on after a violation and count the distinct ones')
    .option('--vmm-only', 'stop only on VMM invariant violations, not on device bugs')
    .option('--no-shrink', 'write the violating trace as found')
    .option('--stateless', 'dfs: re-execute every prefix and keep no states (default: prune explored states, fork from snapshots)')
    .option('--out <dir>', 'where traces are written', 'vmmsim-traces')
    .addOption(watchdogOption('exploration'))
    .option('--json', 'one JSON object on stdout')
    .option('--queue <url>', 'run the campaign on `vmmsim worker`s through Redis: redis://host:port[/db]', queueUrlOption)
    .option('--campaign <name>', 'with --queue: the campaign\'s name in Redis (default: derived from the spec); the same name resumes it', campaignNameOption)
    .option('--chunk <n>', 'with --queue: executions per chunk (default: about 64 chunks of 8 to 128)', integer('--chunk', 1, 1_000_000))
    .action(async (scenario: string | undefined, flags: ExploreFlags, command: Command) => setExit(await exploreCommand(scenario, flags, argv, givenOf(command))));
}

/**
 * On the main thread: the input checked (flags, the scenario loaded and validated, --out), then
 * the campaign on a watched worker (see watched.ts), so that Ctrl-C and the watchdog work
 * however busy it is.
 */
export async function exploreCommand(scenarioArg: string | undefined, flags: ExploreFlags, argv: string[], given: Given): Promise<number> {
  checkExploreFlags(given, { zoo: flags.zoo ?? false, strategy: flags.strategy, queued: flags.queue !== undefined });
  if (flags.zoo && scenarioArg !== undefined) throw new UsageError('explore --zoo takes no scenario');
  if (flags.strategy === 'dfs' && given('workers') && flags.workloads === 1) throw new UsageError('--workers does not apply to --strategy dfs of one workload (its search runs on one worker; --workloads N runs N searches in parallel)');
  checkOutputDir('--out', flags.out);
  let ref: ScenarioRef | null = null;
  let scenario: Scenario | null = null;
  if (!flags.zoo) {
    ref = scenarioRefOf(scenarioArg, flags);
    if (flags.vms !== undefined && ref.kind !== 'builtin') throw new UsageError("--vms applies to the built-in 'default' scenario only");
    // A scenario module is loaded and validated here, to refuse it (exit 2) before a worker
    // starts. The built-in one is valid by construction: its loader (~120 ms of modules) is left
    // to the worker, and loaded here only if a hung execution needs its trace written.
    if (ref.kind !== 'builtin') scenario = await loadScenarioOf(ref);
  }
  // A coordinator (--queue) runs on the watched worker too: it runs device code of its own (PCT's
  // estimate of the choice points, the shrinker, the fresh replay), which the watchdog must cover
  // (an outside audit: a procedure that never returned held the coordinator past Ctrl-C).
  const runId = newRunId();
  if (ref === null) return runWatched('explore', [scenarioArg, flags, argv, runId], { ring0TimeoutMs: flags.watchdog });
  // Device code that never returns: the hung execution is re-run into a trace (hungExecution.ts).
  const board = executionBoardBuffer();
  try {
    return await runWatched('explore', [scenarioArg, flags, argv, runId], { board, ring0TimeoutMs: flags.watchdog });
  } catch (error) {
    if (!(error instanceof ExecutionHung)) throw error;
    const { reportHungExecution } = await import('../hungExecution.js');
    scenario ??= await loadScenarioOf(ref);
    return reportHungExecution(error, {
      scenarioRef: ref, ...executionShape({ scenario, steps: flags.steps, handleMode: flags.handles, latitude: flags.latitude }),
      stopOn: flags.vmmOnly ? 'vmm' : 'any', path: exploreTracePath(flags.out, scenario.name, flags.strategy ?? 'portfolio', flags.seed, runId, '-hung'),
      command: `vmmsim ${shellLine(argv)}`, runId, json: flags.json ?? false, watchdogMs: flags.watchdog,
      findingPath: exploreTracePath(flags.out, scenario.name, flags.strategy ?? 'portfolio', flags.seed, runId),
    });
  }
}

async function loadScenarioOf(ref: ScenarioRef): Promise<Scenario> {
  return (await import('../../scenario/load.js')).loadScenario(ref);
}

export function scenarioRefOf(scenarioArg: string | undefined, flags: ExploreFlags): ScenarioRef {
  return scenarioArg === undefined || scenarioArg === 'default'
    ? { kind: 'builtin', name: 'default', vms: flags.vms ?? 4, steps: flags.steps ?? DEFAULT_EXPLORE_STEPS }
    : { kind: 'module', path: scenarioArg };
}

/** Where a campaign's trace goes: named by command, scenario, strategy, seed and run id (`suffix`: what else it is). */
export function exploreTracePath(out: string, scenarioName: string, strategy: StrategyName, seed: number, runId: string, suffix = ''): string {
  return `${out}/explore-${scenarioLabel(scenarioName)}-${strategy}-${seed}-${runId}${suffix}.json`;
}

