/**
 * `vmmsim explore [scenario]`: search a scenario's interleavings for bugs with a strategy
 * (random, pct, dfs), shrink the first violation found, write its trace and print the command
 * that replays it. `vmmsim explore --zoo`: hunt every bug of the zoo and check its fixed twin.
 */
import type { Command } from 'commander';
import { ZOO } from '../../../examples/zoo/index.js';
import { explore, campaignSpec, DEFAULT_EXPLORE_STEPS } from '../../explore/explore.js';
import { terminalProgress } from '../../explore/progress.js';
import { exploreReport, formatExplore, formatZoo, replayCommand } from '../../explore/report.js';
import { STRATEGIES, type StrategyName, type StrategyParams } from '../../explore/spec.js';
import { runZooEntry } from '../../explore/zooRun.js';
import { loadScenario } from '../../scenario/load.js';
import type { ScenarioRef } from '../../shared/trace.js';
import { EXIT, UsageError } from '../errors.js';
import { interrupted } from '../interrupt.js';
import { humanOut, printJson, writeTrace } from '../io.js';
import { checkOutputDir } from '../outputPaths.js';
import { runWatched } from '../watched.js';
import { integer, oneOf, positiveNumber, seed } from '../parse.js';

export interface ExploreFlags {
  zoo?: boolean;
  strategy?: StrategyName;
  iterations?: number;
  seed: number;
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
  json?: boolean;
  out: string;
}

export const DEFAULT_ITERATIONS = 1000;

export function addExploreCommand(program: Command, setExit: (code: number) => void, argv: string[]): void {
  program
    .command('explore [scenario]')
    .description("search a scenario's interleavings for bugs (a scenario module, or 'default'); --zoo hunts the bug zoo")
    .option('--zoo', 'hunt every zoo bug and its fixed twin with its documented budget')
    .option('--strategy <name>', 'random, pct or dfs (default pct; with --zoo, all three)', oneOf('--strategy', STRATEGIES))
    .option('--iterations <n>', `executions at most (default ${DEFAULT_ITERATIONS}; with --zoo, each entry's budget)`, integer('--iterations', 1, 100_000_000))
    .option('--seed <n>', "master seed (an integer, or 'random')", seed, 1)
    .option('--depth <d>', 'pct: bug depth D (D-1 priority change points)', integer('--depth', 1, 64))
    .option('--steps <n>', `client steps per execution (default: the scenario's, else ${DEFAULT_EXPLORE_STEPS})`, integer('--steps', 1, 10_000_000))
    .option('--workers <w>', 'parallel workers for random and pct (same results as one)', integer('--workers', 1, 256), 1)
    .option('--vms <n>', "VMs of the built-in 'default' scenario", integer('--vms', 1, 64))
    .option('--irq-budget <n>', 'interrupts per execution (random, pct; dfs: its IRQ bound)', integer('--irq-budget', 0, 1_000_000))
    .option('--irq-chance <p>', 'random: chance an eligible IRQ source asserts at a preemption point', positiveNumber('--irq-chance', 1))
    .option('--preemption-bound <n>', 'dfs: IRQs taken inside ring-0 code per execution', integer('--preemption-bound', 0, 1_000_000))
    .option('--latitude', "let the VMM schedule a Call_XX_Event it could call now (SPEC §3 'latitude')")
    .option('--handles <mode>', "checked or pooled (default: the scenario's)", oneOf('--handles', ['checked', 'pooled'] as const))
    .option('--keep-going', 'go on after a violation and count the distinct ones')
    .option('--vmm-only', 'stop only on VMM invariant violations, not on device bugs')
    .option('--no-shrink', 'write the violating trace as found')
    .option('--out <dir>', 'where traces are written', 'vmmsim-traces')
    .option('--json', 'one JSON object on stdout')
    .action(async (scenario: string | undefined, flags: ExploreFlags) => setExit(await exploreCommand(scenario, flags, argv)));
}

/** SIGINT stops the campaign between executions (the flag is shared with the main thread); the report covers what ran. */
function interruptible(): { cancelled: () => boolean; dispose: () => void } {
  return { cancelled: interrupted, dispose: () => undefined };
}

/**
 * On the main thread: the input checked (flags, the scenario loaded and validated, --out), then
 * the campaign on a watched worker (see watched.ts), so that Ctrl-C and the watchdog work
 * however busy it is.
 */
export async function exploreCommand(scenarioArg: string | undefined, flags: ExploreFlags, argv: string[]): Promise<number> {
  if (flags.zoo && scenarioArg !== undefined) throw new UsageError('explore --zoo takes no scenario');
  checkOutputDir('--out', flags.out);
  if (!flags.zoo) {
    const ref = scenarioRefOf(scenarioArg, flags);
    if (flags.vms !== undefined && ref.kind !== 'builtin') throw new UsageError("--vms applies to the built-in 'default' scenario only");
    await loadScenario(ref);
  }
  return runWatched('explore', [scenarioArg, flags, argv]);
}

function scenarioRefOf(scenarioArg: string | undefined, flags: ExploreFlags): ScenarioRef {
  return scenarioArg === undefined || scenarioArg === 'default'
    ? { kind: 'builtin', name: 'default', vms: flags.vms ?? 4, steps: flags.steps ?? DEFAULT_EXPLORE_STEPS }
    : { kind: 'module', path: scenarioArg };
}

/** On the watched worker: the campaign, its report and its trace. */
export async function exploreTask(scenarioArg: string | undefined, flags: ExploreFlags, argv: string[]): Promise<number> {
  if (flags.zoo) return zooCommand(flags);
  const steps = flags.steps;
  const scenarioRef = scenarioRefOf(scenarioArg, flags);
  const scenario = await loadScenario(scenarioRef);
  const strategy = flags.strategy ?? 'pct';
  const spec = campaignSpec({
    scenario, scenarioRef, strategy, seed: flags.seed, iterations: flags.iterations ?? DEFAULT_ITERATIONS,
    ...(steps !== undefined ? { steps } : {}), params: strategyParams(flags),
    ...(flags.handles !== undefined ? { handleMode: flags.handles } : {}), latitude: flags.latitude ?? false,
    stopOn: flags.vmmOnly ? 'vmm' : 'any', keepGoing: flags.keepGoing ?? false,
  });
  const signals = interruptible();
  const progress = terminalProgress(`explore ${strategy}`, spec.iterations, signals.cancelled);
  let outcome;
  try {
    outcome = await explore(scenario, spec, { workers: flags.workers, shrink: flags.shrink, hooks: progress.hooks, command: `vmmsim ${argv.join(' ')}` });
  } finally {
    progress.stop();
    signals.dispose();
  }
  let tracePath: string | null = null;
  if (outcome.trace !== null) {
    tracePath = `${flags.out}/explore-${slug(scenario.name)}-${strategy}-${spec.seed}.json`;
    writeTrace(tracePath, outcome.trace);
  }
  const report = exploreReport(scenario.name, outcome, flags.workers, tracePath);
  if (flags.json) printJson(report);
  else for (const line of formatExplore(report)) humanOut(false)(line);
  if (signals.cancelled()) return EXIT.interrupted;
  return report.found ? EXIT.violation : EXIT.ok;
}

async function zooCommand(flags: ExploreFlags): Promise<number> {
  const strategies: StrategyName[] = flags.strategy !== undefined ? [flags.strategy] : ['pct', 'random', 'dfs'];
  const signals = interruptible();
  const bugs = [];
  try {
    for (const entry of ZOO) {
      if (signals.cancelled()) break;
      const outcome = await runZooEntry(entry, {
        seed: flags.seed, strategies, workers: flags.workers,
        ...(flags.iterations !== undefined ? { iterations: flags.iterations } : {}),
        progress: (label, total) => terminalProgress(label, total, signals.cancelled),
      });
      let tracePath: string | null = null;
      if (outcome.trace !== null) {
        tracePath = `${flags.out}/zoo-${entry.name}.json`;
        writeTrace(tracePath, outcome.trace);
      }
      bugs.push({ ...outcome, tracePath });
    }
  } finally {
    signals.dispose();
  }
  if (flags.json) {
    printJson({
      seed: flags.seed, strategies,
      bugs: bugs.map(({ trace: _trace, tracePath, ...b }) => ({ ...b, trace: tracePath, replay: tracePath === null ? null : replayCommand(tracePath) })),
      allFound: bugs.every((b) => b.found), allTwinsClean: bugs.every((b) => b.fixedTwinClean),
    });
  } else for (const line of formatZoo(bugs)) humanOut(false)(line);
  if (signals.cancelled()) return EXIT.interrupted;
  return bugs.length === ZOO.length && bugs.every((b) => b.found && b.fixedTwinClean) ? EXIT.ok : EXIT.violation;
}

function strategyParams(flags: ExploreFlags): Partial<StrategyParams> {
  return {
    ...(flags.depth !== undefined ? { depth: flags.depth } : {}),
    ...(flags.irqBudget !== undefined ? { irqBudget: flags.irqBudget } : {}),
    ...(flags.irqChance !== undefined ? { irqChance: flags.irqChance } : {}),
    ...(flags.preemptionBound !== undefined ? { preemptionBound: flags.preemptionBound } : {}),
  };
}

function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'scenario';
}
