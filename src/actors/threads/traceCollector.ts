/**
 * The orchestrator's side of the decision log: the VMM actor's TraceChunks, appended as they
 * arrive, turned into a trace file at the end (or at a crash: every chunk ends at a step
 * boundary, so the chunks received so far are a trace that replays exactly).
 *
 * Bounded: given a file to write, each chunk goes to disk as it arrives (line-delimited, see
 * shared/traceFile.ts) and only the sampled step times are kept (written at the end), so the
 * trace covers the whole run however long.
 * In memory (for a caller that wants the trace as a value), once the next chunk would pass
 * `choiceRunsMax` run-length-encoded choice entries or `checkpointsMax` checkpoints, the trace
 * stops growing: it then covers the run's first `steps` steps (the report says so), while the
 * counts and violations of the whole run still arrive.
 */
import { TRACE_VERSION, type RunConfig, type ScenarioRef, type TraceFile } from '../../shared/trace.js';
import { TraceWriter, type ActorFailure } from '../../shared/traceFile.js';
import { atOwnExit } from '../../shared/exitGuard.js';
import type { Violation, Warning } from '../../vmm/checker/checker.js';
import { joinRuns, type SerializedChoices } from '../sim/choiceLog.js';
import type { TraceChunk } from './protocol.js';
import { STEP_TIME_STRIDE, StepTimeSampler } from './stepTimes.js';

export interface TraceCaps {
  choiceRunsMax: number;
  checkpointsMax: number;
  /** Step start times held at most (then thinned: stepTimes.ts). */
  stepTimesMax?: number;
}

/** About 24 MB of choices, 6 MB of checkpoints and 32 MB of step times (a run of 256 million steps before thinning) in memory at most (and in the file). */
export const DEFAULT_TRACE_CAPS: TraceCaps = { choiceRunsMax: 1_000_000, checkpointsMax: 200_000, stepTimesMax: 4_000_000 };
/** Violations listed in a report (the counts cover them all). */
const VIOLATIONS_LISTED_MAX = 100;

export interface TraceMeta {
  /** The scenario the replay must load, given how far the trace goes and where its lifecycle fell. */
  scenario: (steps: number, lifecycleAtStep: number | null) => ScenarioRef;
  seed: number;
  config: RunConfig;
  command?: string;
  /** Default threads (a simulated run streams its chunks through a collector too). */
  runtime?: 'sim' | 'threads';
  strategy?: string;
}

export class TraceCollector {
  /** Flat [kind, value, repeat, kind, value, repeat, ...]. */
  private readonly choices: number[] = [];
  private readonly checkpoints: string[] = [];
  private readonly stepTimes: StepTimeSampler;
  readonly violations: Violation[] = [];
  readonly warnings: Warning[] = [];
  /** The last chunk in the trace. */
  accepted: TraceChunk | null = null;
  /** The last chunk received (later than `accepted` once the trace is full). */
  latest: TraceChunk | null = null;
  full = false;

  private writer: TraceWriter | null = null;
  private forgetAtExit: () => void = () => undefined;
  /** Streaming: the last run received, held back until the next chunk says whether it goes on (then [] or one run). */
  private openRun: number[] = [];

  /** With `file`, chunks stream to it (opened at the first chunk: a run with none writes nothing). */
  constructor(private readonly caps: TraceCaps = DEFAULT_TRACE_CAPS, private readonly file: { path: string; meta: TraceMeta } | null = null) {
    // Only the VMM actor sends step times (a simulated run's chunks have none).
    this.stepTimes = new StepTimeSampler(caps.stepTimesMax ?? DEFAULT_TRACE_CAPS.stepTimesMax!, STEP_TIME_STRIDE);
  }

  add(chunk: TraceChunk): void {
    this.latest = chunk;
    for (const v of chunk.violations) if (this.violations.length < VIOLATIONS_LISTED_MAX) this.violations.push(v);
    for (const w of chunk.warnings) if (this.warnings.length < VIOLATIONS_LISTED_MAX) this.warnings.push(w);
    if (this.file !== null) {
      this.stream(chunk, this.file);
      return;
    }
    if (this.full) return;
    if ((this.choices.length + chunk.choiceRuns.length) / 3 > this.caps.choiceRunsMax || this.checkpoints.length + chunk.checkpoints.length > this.caps.checkpointsMax) {
      this.full = true;
      return;
    }
    joinRuns(this.choices, chunk.choiceRuns);
    for (const c of chunk.checkpoints) this.checkpoints.push(c);
    this.stepTimes.add(chunk.stepTimesUs);
    this.accepted = chunk;
  }

  /** Ends the streamed file at the last chunk received: its path and the steps it covers, or null. */
  finishFile(hung: { kind: 'hung'; message: string } | null = null, actorFailed: ActorFailure | null = null): { path: string; steps: number } | null {
    const last = this.accepted;
    const fault = last?.fault ?? hung;
    if (this.writer === null || last === null || this.file === null) return null;
    this.writer.choices(this.openRun);
    this.openRun = [];
    // Step times are sampled as the run grows (stepTimes.ts), so they are written once, at the end.
    const stepTimesUs = this.stepTimes.samplesFor(last.steps);
    this.writer.stepTimes(stepTimesUs);
    this.writer.end({
      steps: last.steps,
      ...this.strideOf(stepTimesUs),
      scenario: this.file.meta.scenario(last.steps, last.lifecycleAtStep),
      ...(actorFailed === null ? {} : { actorFailed }),
      // The last chunk came before the run's end (the final one follows its shutdown).
      ...(last.final ? {} : { cut: true as const }),
      expect: { traceHash: last.traceHash, records: last.records, invariantsOk: last.invariantsOk, firstViolation: last.firstViolation, fault },
    });
    this.writer = null;
    this.forgetAtExit();
    return { path: this.file.path, steps: last.steps };
  }

  private stream(chunk: TraceChunk, file: { path: string; meta: TraceMeta }): void {
    if (this.writer === null) {
      const { meta } = file;
      // The scenario is only known for sure at the end (the lifecycle's step): the end line names it.
      this.writer = new TraceWriter(file.path, {
        format: 'vmmsim-trace', version: TRACE_VERSION, runtime: meta.runtime ?? 'threads', scenario: meta.scenario(chunk.steps, chunk.lifecycleAtStep),
        seed: meta.seed, config: meta.config, strategy: meta.strategy ?? 'threads', ...(meta.command !== undefined ? { command: meta.command } : {}),
      });
      // An exit at once (a second Ctrl-C) still ends the file at its last chunk: it replays that far.
      this.forgetAtExit = atOwnExit(() => this.finishFile());
    }
    // Runs a chunk boundary split are joined in the file too: it holds the triples one log of the whole run gives.
    const runs = this.openRun;
    joinRuns(runs, chunk.choiceRuns);
    this.openRun = runs.splice(Math.max(0, runs.length - 3));
    this.writer.choices(runs);
    this.writer.checkpoints(chunk.checkpoints);
    this.stepTimes.add(chunk.stepTimesUs);
    this.accepted = chunk;
  }

  /**
   * The trace so far; null before the first chunk. As the streamed file ends (finishFile), it
   * says what cut the run: the hang and the failed actor (a shipped trace of a stress run on the
   * queue replays to them, as the local file does).
   */
  traceFile(meta: TraceMeta, hung: { kind: 'hung'; message: string } | null = null, actorFailed: ActorFailure | null = null): TraceFile | null {
    const last = this.accepted;
    if (last === null) return null;
    const choices: SerializedChoices = [];
    for (let i = 0; i < this.choices.length; i += 3) choices.push([this.choices[i]!, this.choices[i + 1]!, this.choices[i + 2]!]);
    const stepTimesUs = this.stepTimes.samplesFor(last.steps);
    return {
      format: 'vmmsim-trace',
      version: TRACE_VERSION,
      runtime: 'threads',
      scenario: meta.scenario(last.steps, last.lifecycleAtStep),
      seed: meta.seed,
      steps: last.steps,
      config: meta.config,
      strategy: 'threads',
      choices,
      expect: {
        traceHash: last.traceHash,
        records: last.records,
        checkpoints: this.checkpoints.slice(),
        invariantsOk: last.invariantsOk,
        firstViolation: last.firstViolation,
        fault: last.fault ?? hung,
      },
      stepTimesUs,
      ...this.strideOf(stepTimesUs),
      ...(meta.command !== undefined ? { command: meta.command } : {}),
      ...(last.final ? {} : { cut: true as const }),
      ...(actorFailed === null ? {} : { actorFailed }),
    };
  }

  /** The trace's stepTimesStride: only beside step times (a simulated run has none). */
  private strideOf(stepTimesUs: readonly number[]): { stepTimesStride?: number } {
    return stepTimesUs.length > 0 && this.stepTimes.stride > 1 ? { stepTimesStride: this.stepTimes.stride } : {};
  }
}
