/**
 * One simulated run with its trace: the strategy built from the seed, its answers recorded,
 * and the trace file that reproduces the run. And the reverse: replaying a trace.
 */
import { Rng } from '../../shared/rng.js';
import type { RunConfig, ScenarioRef, TraceFile } from '../../shared/trace.js';
import type { ChoiceSource } from '../../vmm/choices.js';
import type { HistorySink } from '../../vmm/history.js';
import { firstDifferentCheckpoint } from '../../vmm/checkpoints.js';
import type { Scenario } from '../../scenario/scenario.js';
import { CHECKPOINT_RECORDS } from '../../shared/checkpoint.js';
import { RecordingChoices, ReplayDivergence } from './choiceLog.js';
import { RunLengthReplay } from './runLengthReplay.js';
import { irqSources } from './irqSources.js';
import { RandomStrategy } from './randomStrategy.js';
import { runSim, type SimRunResult, type StopOn } from './simRun.js';

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
  const result = runSim({
    scenario: options.scenario, seed: options.seed, steps: options.steps, choices: recording,
    config: options.config, stopOn: options.stopOn ?? 'never', keepAll: options.keepAll ?? false,
  });
  const trace: TraceFile = {
    format: 'vmmsim-trace', version: 1, runtime: 'sim', scenario: options.scenarioRef, seed: options.seed,
    steps: result.steps, config: options.config, strategy: strategy.name, choices: recording.log.serialize(),
    expect: {
      traceHash: result.traceHash, records: result.records, checkpoints: result.checkpoints,
      invariantsOk: result.invariantsOk,
      firstViolation: result.firstViolation && {
        kind: result.firstViolation.kind, severity: result.firstViolation.severity,
        message: result.firstViolation.message, seq: result.firstViolation.seq,
      },
    },
    ...(options.command !== undefined ? { command: options.command } : {}),
  };
  return { result, trace };
}

export interface Divergence {
  /** Where the replay first left the recorded run. */
  message: string;
  choiceIndex: number | null;
  /** Records up to which the two runs agree for sure. */
  agreeingRecords: number;
}

/** `onRecord` sees every record of the replay as it is made (a timeline drawn in one pass). */
export function replayTrace(trace: TraceFile, scenario: Scenario, keepAll = false, onRecord?: HistorySink): { result: SimRunResult | null; divergence: Divergence | null } {
  // Read from the run-length-encoded log as it stands: a long threaded run's choices do not fit expanded.
  const choices = new RunLengthReplay(trace.choices);
  let result: SimRunResult;
  try {
    result = runSim({ scenario, seed: trace.seed, steps: trace.steps, choices, config: trace.config, stopOn: 'never', keepAll, tailRecords: 64, ...(onRecord !== undefined ? { onRecord } : {}) });
  } catch (error) {
    if (!(error instanceof ReplayDivergence)) throw error;
    return { result: null, divergence: { message: error.message, choiceIndex: error.index, agreeingRecords: 0 } };
  }
  if (result.traceHash === trace.expect.traceHash && result.records === trace.expect.records) return { result, divergence: null };
  const at = firstDifferentCheckpoint(trace.expect.checkpoints, result.checkpoints);
  const agreeing = (at < 0 ? Math.min(trace.expect.checkpoints.length, result.checkpoints.length) : at) * CHECKPOINT_RECORDS;
  return {
    result,
    divergence: {
      message: `the decision log differs: ${result.records} records (hash ${result.traceHash}) where the trace has ${trace.expect.records} (hash ${trace.expect.traceHash}); the runs agree for the first ${agreeing} records at least`,
      choiceIndex: null,
      agreeingRecords: agreeing,
    },
  };
}
