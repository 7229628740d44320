/**
 * Replaying a recorded run: its choices fed back to the same core, step by step, and its
 * decision log compared with the recording as it goes: every checkpoint, the final hash and
 * record count, the choices left over, and how the run ended (a fault must recur). Anything
 * that differs is a divergence; only a run that matches in all of these is "reproduced".
 * Choices and checkpoints arrive as streams, so a trace of any length replays in bounded memory.
 */
import { CHECKPOINT_RECORDS } from '../../shared/checkpoint.js';
import type { RunConfig } from '../../shared/trace.js';
import { readTraceLines, TraceFormatError, type TraceEnd, type TraceHeader } from '../../shared/traceFile.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { HistorySink } from '../../vmm/history.js';
import { copyRecord } from '../../vmm/recordRing.js';
import { RunLoop, type SimRunResult } from '../runLoop.js';
import { runFaultOf, type RunFault } from '../runFault.js';
import { deserializeWorkload, ExplicitOps, WorkloadExhausted, type SerializedWorkload } from '../explicitOps.js';
import { ReplayDivergence } from './choiceLog.js';
import { CANCEL_POLL_ITEMS, StreamChoices } from './streamChoices.js';
import { oneLine } from '../../shared/oneLine.js';

/** What a caller may watch a replay with. */
export interface ReplayWatch {
  /** Polled between steps: true stops the replay where it is (SIGINT). */
  cancelled?: () => boolean;
  /** Every record as it is made (a timeline drawn in one pass): a copy of its own, to keep. */
  onRecord?: HistorySink;
}

export interface ReplayInput extends ReplayWatch {
  seed: number;
  steps: number;
  config: RunConfig;
  expect: {
    traceHash: string; records: number; fault?: { kind: string; message: string } | null | undefined;
    /** The recorded verdict; absent: not compared (a caller that has none). */
    invariantsOk?: boolean;
    firstViolation?: { kind: string; severity: string; seq: number; message?: string } | null;
  };
  choiceRuns: Iterator<readonly [number, number, number]>;
  checkpoints: Iterator<string>;
  /** The client workload, when the trace carries it explicitly (a shrunk trace); else the seed's. */
  workload?: SerializedWorkload;
  /** The recorded run was cut before its end (trace `cut`): it never shut down, so neither does the replay. */
  cut?: boolean;
}

export interface Divergence {
  /** Where the replay first left the recorded run. */
  message: string;
  choiceIndex: number | null;
  /** Records up to which the two runs agree for sure. */
  agreeingRecords: number;
}

export interface ReplayOutcome {
  result: SimRunResult | null;
  divergence: Divergence | null;
  /** Stopped early by `cancelled`: the result covers the steps replayed, nothing was compared. */
  interrupted?: boolean;
}

const CANCEL_POLL_STEPS = 64;

/** keepAll: every record in the result (for drawing); keepCheckpoints: every checkpoint. Memory then grows with the run. */
export function replayRun(input: ReplayInput, scenario: Scenario, keepAll = false, keepCheckpoints = keepAll): ReplayOutcome {
  const choices = new StreamChoices(input.choiceRuns);
  let ops: ExplicitOps | undefined;
  try {
    if (input.workload !== undefined) ops = ExplicitOps.deserialize(input.workload);
  } catch (error) {
    return { result: null, divergence: { message: `the trace's workload is malformed: ${(error as Error).message}`, choiceIndex: null, agreeingRecords: 0 } };
  }
  const onRecord = input.onRecord;
  const loop = new RunLoop({ scenario, seed: input.seed, choices, config: input.config, stopOn: 'never', keepAll, tailRecords: 64, ...(ops !== undefined ? { ops } : {}), ...(onRecord !== undefined ? { onRecord: (record) => onRecord(copyRecord(record)) } : {}) });
  const checks = new CheckpointCompare(input.checkpoints);
  const kept: string[] = [];
  const drain = (l: RunLoop): string[] => {
    const fresh = l.recorder.checkpoints.splice(0);
    if (keepCheckpoints) for (const c of fresh) kept.push(c);
    return fresh;
  };
  let fault: RunFault | null = null;
  try {
    while (loop.steps < input.steps) {
      loop.step();
      checks.compare(drain(loop));
      // Once a checkpoint differs the runs have parted: stop there. A trace that lies about its
      // length (steps near 2^53, a choice run of 2^31 repeats) then costs at most the records its
      // checkpoints cover plus one checkpoint's worth, not the steps it claims.
      if (checks.firstDifferent !== null) break;
      if (loop.steps % CANCEL_POLL_STEPS === 0 && input.cancelled?.()) return { result: loop.finish(null, true), divergence: null, interrupted: true };
    }
  } catch (error) {
    if (error instanceof ReplayDivergence) {
      return { result: null, divergence: { message: error.message, choiceIndex: error.index, agreeingRecords: checks.agreeing() } };
    }
    if (error instanceof WorkloadExhausted) {
      return { result: null, divergence: { message: `replay diverged: ${error.message}`, choiceIndex: null, agreeingRecords: checks.agreeing() } };
    }
    fault = runFaultOf(error);
    if (fault === null) throw error;
  }
  let finished: SimRunResult;
  try {
    // A recorded run cut off after its last chunk (a wall-clock watcher ended a hang, an actor
    // failed) never shut down, so neither does its replay: the trace says so (`cut`).
    finished = loop.finish(fault, input.cut === true);
    // One the shutdown met (an end-of-run invariant, a control procedure) is how the run ended too.
    fault ??= finished.fault;
  } catch (error) {
    // The shutdown's control messages are preemption points too: a trace whose choices end
    // before them (it claims more steps than its run had) diverges there.
    if (error instanceof ReplayDivergence) return { result: null, divergence: { message: error.message, choiceIndex: error.index, agreeingRecords: checks.agreeing() } };
    throw error;
  }
  checks.compare(drain(loop));
  const result = { ...finished, checkpoints: kept };
  const diverged = (message: string, choiceIndex: number | null = null): ReplayOutcome => ({ result, divergence: { message, choiceIndex, agreeingRecords: checks.agreeing() } });
  if (checks.firstDifferent !== null) return diverged(`checkpoint ${checks.firstDifferent} (record ${(checks.firstDifferent + 1) * CHECKPOINT_RECORDS}) differs from the trace's`);
  const expected = input.expect;
  if (result.traceHash !== expected.traceHash || result.records !== expected.records) {
    const agreeing = checks.agreeing();
    // Checkpoints come every CHECKPOINT_RECORDS records: before the first, where they part is not known.
    const where = agreeing > 0 ? `the runs agree for the first ${agreeing} records at least` : `they part within the first ${CHECKPOINT_RECORDS} records (before the trace's first checkpoint)`;
    return diverged(`the decision log differs: ${result.records} records (hash ${result.traceHash}) where the trace has ${expected.records} (hash ${expected.traceHash}); ${where}`);
  }
  // The rest of the file, read to its end (an outside audit's 40 MB of extra choices took 27 s):
  // stopped as the steps are.
  const extraCheckpoints = checks.remaining(input.cancelled);
  if (extraCheckpoints === null) return { result, divergence: null, interrupted: true };
  if (extraCheckpoints > 0) return diverged(`the trace has ${extraCheckpoints} checkpoints past the end of the run`);
  const extraChoices = choices.unconsumed(input.cancelled);
  if (extraChoices === null) return { result, divergence: null, interrupted: true };
  if (extraChoices > 0) return diverged(`the trace has ${extraChoices} choices the run never asked for`, choices.index);
  // A run that hung was cut off by a wall-clock watcher after its last chunk: the trace ends
  // before the hang, and the replay, rightly, ends normally there.
  const verdict = verdictDifference(expected, result);
  if (verdict !== null) return diverged(verdict);
  const recordedFault = expected.fault?.kind === 'hung' ? null : expected.fault ?? null;
  if ((recordedFault === null) !== (fault === null) || (recordedFault !== null && fault !== null && (recordedFault.kind !== fault.kind || recordedFault.message !== fault.message))) {
    return diverged(`the run ended ${fault === null ? 'normally' : `on ${fault.message}`} where the trace ended ${recordedFault === null ? 'normally' : `on ${recordedFault.message}`}`);
  }
  return { result, divergence: null };
}

/**
 * The trace's verdict against the replay's: whether every invariant held, and the first violation
 * (kind, severity, record). Both come from the same checker over the same records, so a difference
 * means the trace says something about its run that is not so.
 */
function verdictDifference(expected: ReplayInput['expect'], result: SimRunResult): string | null {
  if (expected.invariantsOk !== undefined && expected.invariantsOk !== result.invariantsOk) {
    return `the trace says ${expected.invariantsOk ? 'every invariant held' : 'an invariant broke'} where the replay found ${result.invariantsOk ? 'every invariant held' : 'one broke'}`;
  }
  if (expected.firstViolation === undefined) return null;
  const said = expected.firstViolation;
  const found = result.firstViolation;
  // The trace's text, escaped: it reaches the terminal in the DIVERGED line.
  const name = (v: { kind: string; severity: string; seq: number } | null): string => (v === null ? 'no violation' : `${v.severity} violation ${oneLine(v.kind, 200)} at record ${v.seq}`);
  if (said === null && found === null) return null;
  if (said === null || found === null || said.kind !== found.kind || said.severity !== found.severity || said.seq !== found.seq) {
    return `the trace's first violation is ${name(said)} where the replay found ${name(found)}`;
  }
  // The message is part of the verdict: an edited one was "reproduced exactly".
  if (said.message !== undefined && said.message !== found.message) {
    return `the trace's first violation (${name(said)}) says "${oneLine(said.message, 200)}" where the replay's says "${oneLine(found.message, 200)}"`;
  }
  return null;
}

/** The recorded checkpoints against the replay's, as both arrive. */
class CheckpointCompare {
  matched = 0;
  firstDifferent: number | null = null;

  constructor(private readonly expected: Iterator<string>) {}

  compare(actual: readonly string[]): void {
    for (const hash of actual) {
      const next = this.expected.next();
      if (this.firstDifferent !== null) continue;
      if (next.done === true || next.value !== hash) this.firstDifferent = this.matched;
      else this.matched++;
    }
  }

  agreeing(): number {
    return this.matched * CHECKPOINT_RECORDS;
  }

  /** The checkpoints left; null if `cancelled` said so first. */
  remaining(cancelled?: () => boolean): number | null {
    let n = 0;
    for (let r = this.expected.next(); r.done !== true; r = this.expected.next()) {
      if (++n % CANCEL_POLL_ITEMS === 0 && cancelled?.() === true) return null;
    }
    return n;
  }
}

/** Replays a trace file as it streams from disk (validated line by line: see traceFile.ts). */
export function replayTraceFile(path: string, header: TraceHeader, end: TraceEnd, scenario: Scenario, keepAll = false, watch: ReplayWatch = {}): ReplayOutcome {
  return replayRun({
    seed: header.seed, steps: end.steps, config: header.config, expect: end.expect,
    choiceRuns: choiceRunsOf(path), checkpoints: checkpointsOf(path), ...watch,
    ...workloadOf(path), ...(end.cut === true ? { cut: true } : {}),
  }, scenario, keepAll);
}

function* choiceRunsOf(path: string): Generator<readonly [number, number, number]> {
  for (const line of readTraceLines(path, false)) {
    if (line.t !== 'choices') continue;
    const { runs } = line;
    for (let i = 0; i < runs.length; i += 3) yield [runs[i]!, runs[i + 1]!, runs[i + 2]!];
  }
}

function* checkpointsOf(path: string): Generator<string> {
  for (const line of readTraceLines(path, false)) if (line.t === 'checkpoints') yield* line.hashes;
}

/**
 * A shrunk trace's explicit workload (small: it holds only the ops a bug needs), checked to
 * decode: a malformed one is a format error of the file, not a divergence of its replay.
 */
export function workloadOf(path: string): { workload?: SerializedWorkload } {
  const workload: SerializedWorkload = [];
  for (const line of readTraceLines(path)) if (line.t === 'workload') workload.push([line.vm, line.ops]);
  try {
    deserializeWorkload(workload);
  } catch (error) {
    throw new TraceFormatError(`${path} is not a vmmsim trace: ${(error as Error).message}`);
  }
  return workload.length > 0 ? { workload } : {};
}
