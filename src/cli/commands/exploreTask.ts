/**
 * `vmmsim explore` on the watched worker (explore.ts checks the input on the main thread): the
 * campaign, or the zoo's hunt, with its report and its trace.
 */
import { ZOO } from '../../../examples/zoo/index.js';
import { explore, campaignSpec } from '../../explore/explore.js';
import { terminalProgress } from '../../explore/progress.js';
import { exploreReport, formatExplore, formatZoo, replayCommand } from '../../explore/report.js';
import type { StrategyName, StrategyParams } from '../../explore/spec.js';
import { runZooEntry } from '../../explore/zooRun.js';
import { loadScenario } from '../../scenario/load.js';
import { withoutQueueFlags } from '../../distributed/options.js';
import { setPoolRing0Bound } from '../../actors/ring0Watchdog.js';
import { EXIT } from '../errors.js';
import { interrupted, stopSignal } from '../interrupt.js';
import { humanOut, printJson, writeTrace } from '../io.js';
import { DEFAULT_ITERATIONS, exploreTracePath, scenarioRefOf, type ExploreFlags } from './explore.js';
import { shellLine } from '../../shared/shellWord.js';
import type { TraceFile } from '../../shared/trace.js';
import { rmSync } from 'node:fs';

/** SIGINT stops the campaign between executions (the flag is shared with the main thread); the report covers what ran. */
function interruptible(): { cancelled: () => boolean; dispose: () => void } {
  return { cancelled: interrupted, dispose: () => undefined };
}

/** On the watched worker: the campaign, its report and its trace. */
export async function exploreTask(scenarioArg: string | undefined, flags: ExploreFlags, argv: string[], runId: string): Promise<number> {
  // The pools this campaign starts watch their threads with the same bound as this thread's watcher.
  setPoolRing0Bound(flags.watchdog);
  if (flags.zoo) return zooCommand(flags, runId);
  const steps = flags.steps;
  const scenarioRef = scenarioRefOf(scenarioArg, flags);
  const scenario = await loadScenario(scenarioRef);
  const strategy = flags.strategy ?? 'portfolio';
  const signals = interruptible();
  const spec = {
    ...campaignSpec({
      scenario, scenarioRef, strategy, seed: flags.seed, iterations: flags.iterations ?? DEFAULT_ITERATIONS,
      ...(steps !== undefined ? { steps } : {}), params: strategyParams(flags),
      ...(flags.handles !== undefined ? { handleMode: flags.handles } : {}), latitude: flags.latitude ?? false,
      stopOn: flags.vmmOnly ? 'vmm' : 'any', keepGoing: flags.keepGoing ?? false,
      ...(flags.workloads !== undefined ? { workloads: flags.workloads } : {}),
      // Not on a queue: the spec names the campaign there, and a k cut short would name another.
      ...(flags.queue === undefined ? { cancelled: signals.cancelled } : {}),
    }),
    ...(flags.stateless ? { dfsState: { prune: false, fork: false } } : {}),
  };
  const queue = flags.queue !== undefined ? await (await import('../../distributed/exploreOnQueue.js')).openExploreQueue(flags.queue, flags.campaign, flags.chunk) : null;
  const progress = terminalProgress(`explore ${strategy}`, spec.iterations, signals.cancelled);
  const path = exploreTracePath(flags.out, scenario.name, strategy, spec.seed, runId);
  // The finding as found goes to the trace's place before the shrink (a candidate that never
  // returns ends this thread, and the main thread then reports that file: hungExecution.ts).
  let asFoundWritten = false;
  const beforeShrink = (asFound: TraceFile): void => {
    writeTrace(path, asFound);
    asFoundWritten = true;
  };
  let outcome;
  try {
    outcome = await explore(scenario, spec, { workers: flags.workers, shrink: flags.shrink, hooks: progress.hooks, command: `vmmsim ${shellLine(withoutQueueFlags(argv))}`, beforeShrink, ...(queue !== null ? { runCampaign: queue.runCampaign } : {}) });
  } finally {
    progress.stop();
    signals.dispose();
  }
  let tracePath: string | null = null;
  if (outcome.trace !== null) {
    tracePath = path;
    writeTrace(tracePath, outcome.trace);
  } else if (asFoundWritten) rmSync(path, { force: true });
  const local = {
    ...exploreReport(scenario.name, outcome, flags.workers, tracePath), interrupted: signals.cancelled() ? stopSignal() : null,
    lifecycleNotReached: (scenario.lifecycle ?? []).filter((s) => s.atStep >= spec.steps).map((s) => `${s.op}${s.vm !== undefined ? ` VM ${s.vm}` : ''} at step ${s.atStep}`),
  };
  const report = queue?.decorate(local) ?? local;
  if (flags.json) printJson({ runId, ...report });
  else for (const line of [...withRunId(formatExplore(report), runId), ...(queue?.lines() ?? [])]) humanOut(false)(line);
  if (signals.cancelled() || (queue !== null && !queue.finished())) return EXIT.interrupted;
  return report.found ? EXIT.violation : EXIT.ok;
}

/** The header names the run as `vmmsim run <run id>:` does (the report itself is the explorer's). */
function withRunId(lines: string[], runId: string): string[] {
  return lines.map((line, i) => (i === 0 ? line.replace(/^vmmsim explore( --zoo)?:/, `vmmsim explore$1 ${runId}:`) : line));
}

async function zooCommand(flags: ExploreFlags, runId: string): Promise<number> {
  const strategies: StrategyName[] = flags.strategy !== undefined ? [flags.strategy] : ['portfolio', 'pct', 'pos', 'random', 'guided'];
  const signals = interruptible();
  const bugs = [];
  try {
    for (const entry of ZOO) {
      if (signals.cancelled()) break;
      const outcome = await runZooEntry(entry, {
        seed: flags.seed, strategies, workers: flags.workers,
        ...(flags.iterations !== undefined ? { iterations: flags.iterations } : {}),
        ...(flags.workloads !== undefined ? { workloads: flags.workloads } : {}),
        progress: (label, total) => terminalProgress(label, total, signals.cancelled),
      });
      let tracePath: string | null = null;
      if (outcome.trace !== null) {
        tracePath = `${flags.out}/zoo-${entry.name}-${flags.seed}-${runId}.json`;
        writeTrace(tracePath, outcome.trace);
      }
      bugs.push({ ...outcome, tracePath });
    }
  } finally {
    signals.dispose();
  }
  if (flags.json) {
    printJson({
      runId, seed: flags.seed, strategies,
      bugs: bugs.map(({ trace: _trace, tracePath, ...b }) => ({ ...b, trace: tracePath, replay: tracePath === null ? null : replayCommand(tracePath) })),
      allFound: bugs.every((b) => b.found), allTwinsClean: bugs.every((b) => b.fixedTwinClean),
    });
  } else for (const line of withRunId(formatZoo(bugs), runId)) humanOut(false)(line);
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
