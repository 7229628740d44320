/**
 * One simulated run with its trace: the strategy built from the seed, its answers recorded,
 * and the trace file that reproduces the run. And the reverse: replaying a trace.
 */
import { Rng } from '../../shared/rng.js';
import type { RunConfig, ScenarioRef, TraceFile } from '../../shared/trace.js';
import { TRACE_VERSION } from '../../shared/trace.js';
import type { ChoiceSource } from '../../vmm/choices.js';
import type { Scenario } from '../../scenario/scenario.js';
import { RecordingChoices } from './choiceLog.js';
import { replayRun, type Divergence, type ReplayOutcome, type ReplayWatch } from './replay.js';
import { irqSources } from './irqSources.js';
import { RandomStrategy } from './randomStrategy.js';
import { runSim, type SimRunResult, type StopOn } from './simRun.js';
import { RunAborted } from '../runFault.js';

export interface SimulateOptions {
  scenario: Scenario;
  scenarioRef: ScenarioRef;
  seed: number;
  steps: number;
  config: RunConfig;
  stopOn?: StopOn;
  keepAll?: boolean;
  /** Defaults to the random strategy in Poisson mode (interrupts in virtual time). */
  strategy?: { name: string; choices: ChoiceSource };
  command?: string;
}

export function defaultStrategy(scenario: Scenario, seed: number): { name: string; choices: ChoiceSource } {
  return { name: 'random', choices: new RandomStrategy(new Rng(seed).child('strategy'), irqSources(scenario.devices), { mode: 'poisson', shuffleGlobals: false }) };
}

export function simulate(options: SimulateOptions): { result: SimRunResult; trace: TraceFile } {
  const strategy = options.strategy ?? defaultStrategy(options.scenario, options.seed);
  const recording = new RecordingChoices(strategy.choices);
  let result: SimRunResult;
  try {
    result = runSim({
      scenario: options.scenario, seed: options.seed, steps: options.steps, choices: recording,
      config: options.config, stopOn: options.stopOn ?? 'never', keepAll: options.keepAll ?? false,
    });
  } catch (error) {
    // A runaway device or throwing user code: the run and its trace end where it stopped.
    if (!(error instanceof RunAborted)) throw error;
    result = error.partial as SimRunResult;
  }
  const trace: TraceFile = {
    format: 'vmmsim-trace', version: TRACE_VERSION, runtime: 'sim', scenario: options.scenarioRef, seed: options.seed,
    steps: result.steps, config: options.config, strategy: strategy.name, choices: recording.log.serialize(),
    expect: {
      traceHash: result.traceHash, records: result.records, checkpoints: result.checkpoints,
      invariantsOk: result.invariantsOk,
      firstViolation: result.firstViolation && {
        kind: result.firstViolation.kind, severity: result.firstViolation.severity,
        message: result.firstViolation.message, seq: result.firstViolation.seq,
      },
      fault: result.fault === null ? null : { kind: result.fault.kind, message: result.fault.message },
    },
    ...(options.command !== undefined ? { command: options.command } : {}),
  };
  return { result, trace };
}

export type { Divergence };

/**
 * Replays an in-memory trace (see replay.ts; a trace file streams through replayTraceFile).
 * `onRecord` sees every record of the replay as it is made (a timeline drawn in one pass).
 */
export function replayTrace(trace: TraceFile, scenario: Scenario, keepAll = false, watch: ReplayWatch = {}): ReplayOutcome {
  return replayRun({
    seed: trace.seed, steps: trace.steps, config: trace.config, expect: trace.expect,
    choiceRuns: trace.choices[Symbol.iterator](), checkpoints: trace.expect.checkpoints[Symbol.iterator](),
    ...(trace.workload !== undefined ? { workload: trace.workload } : {}),
    ...(trace.cut === true ? { cut: true } : {}),
    ...watch,
  }, scenario, keepAll, true);
}
