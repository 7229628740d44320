/**
 * One execution of a campaign: the scenario run once under a choice source, its answers
 * recorded, its coverage tracked, cut at the first violation of the campaign's stop class.
 */
import { RecordingChoices, type ChoiceLog } from '../actors/sim/choiceLog.js';
import { ExecutionChoiceLog } from './executionChoices.js';
import { executionBoard } from './executionBoard.js';
import { irqSources } from '../actors/sim/irqSources.js';
import { RandomStrategy } from '../actors/sim/randomStrategy.js';
import { runSim, type SimRunResult } from '../actors/sim/simRun.js';
import { PctStrategy } from '../actors/sim/strategies/pct.js';
import { PosStrategy } from '../actors/sim/strategies/pos.js';
import type { RecordObserver } from '../actors/sim/strategies/inService.js';
import type { Scenario } from '../scenario/scenario.js';
import { childSeedIndexed, Rng } from '../shared/rng.js';
import { QUIET_CHOICES, type ChoiceSource } from '../vmm/choices.js';
import type { Violation } from '../vmm/checker/checker.js';
import type { Warning } from '../vmm/checker/report.js';
import type { HistoryRecord } from '../vmm/history.js';
import type { RecordSink } from '../vmm/recordKinds.js';
import { CoverageTracker } from './coverage.js';
import { ExecutionRecords } from './executionRecords.js';
import { THREAD_KIT, type MachineKit } from './machineKit.js';
import type { CampaignSpec, ExecutionSummary, MemberName, StopClass, ViolationSummary, WarningSummary } from './spec.js';
import { workloadSeedAt } from './workloads.js';
import { thrownRun, thrownSummary } from './thrown.js';
import { runFaultOf } from '../actors/runFault.js';

/** The seed of iteration i's strategy: independent of every other iteration's (childSeed of the label `iter${i}`). */
export function strategySeed(seed: number, iteration: number): number {
  return childSeedIndexed(seed, 'iter', iteration);
}

/**
 * The choice source of iteration i under a seeded strategy (pct, pos, random): a function of (spec, i) alone.
 * `seed`: its strategy seed, when the caller has it already; `rng`: the generator to draw from, started from it.
 */
export function seededStrategy(
  scenario: Scenario, spec: CampaignSpec, iteration: number, member: Exclude<MemberName, 'guided'>, seed = strategySeed(spec.seed, iteration),
  rng = new Rng(seed),
): ChoiceSource {
  const sources = irqSources(scenario.devices);
  const { depth, irqBudget, irqChance } = spec.params;
  switch (member) {
    case 'pct': return new PctStrategy(rng, sources, { depth, k: spec.pctK, irqBudget });
    case 'pos': return new PosStrategy(rng, sources, { irqBudget });
    case 'random': return new RandomStrategy(rng, sources, { mode: 'uniform', p: irqChance, irqBudget, shuffleGlobals: true });
  }
}

/** The violation that ends an execution of this stop class. */
export function stoppingViolation(result: Pick<SimRunResult, 'violations'>, stopOn: StopClass): Violation | undefined {
  return stopOn === 'any' ? result.violations[0] : result.violations.find((v) => v.severity === 'vmm');
}

export function summarizeViolation(v: Violation): ViolationSummary {
  return { kind: v.kind, severity: v.severity, message: v.message, device: v.device ?? '', seq: v.seq };
}

/** What a caller may watch of an execution besides its summary (the coverage-guided strategy). */
export interface ExecutionWatch {
  /** Every record, with its kind number (recordKinds.ts): the core's, valid during the call (copy one to keep it: copyRecord). */
  onRecord?(record: HistoryRecord, kind: number): void;
  /** The whole recorded choice log, whatever the outcome (a log of its own: the caller may keep it). */
  onLog?(log: ChoiceLog): void;
}

/**
 * One execution; `kit`: machine parts it shares with the other executions of its range (null: all fresh).
 * `workload`: the seed of the client workload it runs (default: iteration i's, workloads.ts).
 */
export function runExecution(
  scenario: Scenario, spec: CampaignSpec, choices: ChoiceSource, iteration: number, seedOfStrategy: number,
  strategy: ExecutionSummary['strategy'] = spec.strategy, watch: ExecutionWatch = {}, kit: MachineKit | null = null,
  workload = workloadSeedAt(spec, iteration),
): ExecutionSummary {
  const recording = new RecordingChoices(choices, kit === null ? new ExecutionChoiceLog() : kit.choiceLog());
  const coverage = kit === null ? new CoverageTracker(spec.config.handleMode) : kit.coverage(spec.config.handleMode);
  const observer = (choices as Partial<RecordObserver>).onRecord === undefined ? null : choices as ChoiceSource & RecordObserver;
  let result: SimRunResult;
  // What a watcher re-runs if device code never returns (executionBoard.ts).
  if (recording.log.onBoard) executionBoard.begin(iteration, strategy, workload, seedOfStrategy);
  let ended: unknown = null;
  try {
    result = runOnKit(scenario, workload, spec.steps, spec.config, spec.stopOn, recording, coverage, observer, watch.onRecord ?? null, kit);
  } catch (error) {
    ended = error;
    // User code threw: a finding of this execution (thrown.ts), whatever the stop class.
    result = thrownRun(error);
  } finally {
    executionBoard.endOn(ended);
  }
  const fault = result.fault;
  const violation = fault === null ? stoppingViolation(result, spec.stopOn) : undefined;
  const found = fault !== null ? thrownSummary(fault, result.records) : violation === undefined ? null : summarizeViolation(violation);
  const log = recording.log;
  if (watch.onLog !== undefined) watch.onLog(log.toChoiceLog());
  return {
    iteration, strategy, strategySeed: seedOfStrategy, workloadSeed: workload, traceHash: result.traceHash, steps: result.steps,
    irqPoints: recording.irqPoints, irqs: recording.irqs,
    violation: found,
    windows: coverage.counts,
    warnings: warningSummaries(result.warnings),
    choices: found === null ? null : log.serialize(),
  };
}

/** Shared by the executions that met no warning (nearly all): no array made per execution. */
const NO_WARNINGS: readonly WarningSummary[] = Object.freeze([]);

/** An execution's warnings as its summary keeps them: the first of each kind. */
export function warningSummaries(warnings: readonly Warning[]): readonly WarningSummary[] {
  if (warnings.length === 0) return NO_WARNINGS;
  const kinds: WarningSummary[] = [];
  for (const { kind, message } of warnings) if (!kinds.some((k) => k.kind === kind)) kinds.push({ kind, message });
  return kinds;
}

/**
 * Every run of a campaign, its executions and PCT's estimate run alike, is started here: one
 * construction site for the run's options, the workload from a kit's tape, the choices through
 * a RecordingChoices, the spec's fields as plain arguments (the estimate's spec is a smaller
 * object than a campaign's). So the core meets the same object shapes in every run of a process. A
 * shape it first meets once compiled deoptimizes it: measured, the estimate run of a process's
 * second campaign (its own options, a bare workload, an unwrapped choice source) deoptimized
 * the run loop and the workload reader in the middle of that campaign's executions. On a kit,
 * the estimate and the executions run on the kit's one machine, restarted.
 */
function runOnKit(
  scenario: Scenario, seed: number, steps: number, config: CampaignSpec['config'], stopOn: StopClass | 'never' | 'livelock', choices: RecordingChoices<ExecutionChoiceLog>,
  coverage: CoverageTracker | null, observer: RecordObserver | null, extra: RecordSink | null, kit: MachineKit | null,
): SimRunResult {
  if (kit !== null) return kit.run(scenario, seed, steps, config, stopOn, choices, coverage, observer, extra);
  // No tail (tailRecords 0): a summary reads none, and keeping one stored every record.
  const onRecord = new ExecutionRecords(coverage, observer, extra).read;
  return runSim({ scenario, seed, steps, choices, config, stopOn, tailRecords: 0, onRecord });
}

/**
 * PCT's k: the IRQ choice points of one execution, counted on the quiet schedule (no IRQs) of
 * the same scenario, workload and step bound. Executions with interrupts ask a few more (each
 * callback's service calls are points too); the estimate only sets where change points land.
 */
export function estimateChoicePoints(scenario: Scenario, spec: Pick<CampaignSpec, 'seed' | 'steps' | 'config'>): number {
  const counting = new RecordingChoices(QUIET_CHOICES, THREAD_KIT.choiceLog());
  THREAD_KIT.prepare(scenario, spec.seed);
  try {
    // To its end, or to a livelock (runLoop.ts StopOn): past it, every pass repeats the cut chain.
    runOnKit(scenario, spec.seed, spec.steps, spec.config, 'livelock', counting, null, null, null, THREAD_KIT);
  } catch (error) {
    // User code threw, or ran away, on the quiet schedule: the points asked up to there are the
    // estimate; the campaign's executions report the throw, or run away and are re-run into a trace.
    if (runFaultOf(error)?.kind !== 'runaway') thrownRun(error);
  }
  return Math.max(1, counting.irqPoints);
}
