/**
 * A TraceChunk from the run loop: what it has made since the last chunk (choices, checkpoints)
 * and where it stands (hash, counts, first violation). Both runtimes send chunks; each adds what
 * only it knows (step times, the violations it lists, wall time, where the lifecycle fell).
 * O(1) apart from what is new: the choices come out of their log already encoded.
 */
import type { ChoiceSink, RecordingChoices } from './sim/choiceLog.js';
import type { RunLoop } from './runLoop.js';
import type { TraceChunk } from './threads/protocol.js';

export type RuntimeChunkPart = Pick<TraceChunk, 'stepTimesUs' | 'violations' | 'warnings' | 'elapsedUs' | 'lifecycleAtStep'>;

/** `faultInStep`: the fault stopped the machine inside a step (not in the shutdown, after the last one). */
export function loopChunk(loop: RunLoop, recording: RecordingChoices<ChoiceSink>, fault: TraceChunk['fault'], final: boolean, runtime: RuntimeChunkPart, faultInStep = true): TraceChunk {
  const { checker } = loop;
  const first = checker.violations[0];
  return {
    // A fault stopped the machine inside a step: that step counts (a replay must run it too).
    steps: fault !== null && faultInStep ? loop.steps + 1 : loop.steps,
    records: loop.recorder.hasher.records,
    traceHash: loop.recorder.hasher.hex(),
    checkpoints: loop.recorder.checkpoints.splice(0),
    choiceRuns: recording.log.drainRuns(),
    counts: { ...loop.counter.counts },
    ticks: loop.vmm.ticks,
    invariantsOk: checker.invariantsOk,
    vmmBugs: checker.vmmBugs,
    deviceBugs: checker.deviceBugs,
    firstViolation: first === undefined ? null : { kind: first.kind, severity: first.severity, message: first.message, seq: first.seq },
    pendingEvents: loop.vmm.table.live,
    ...runtime,
    final,
    fault,
  };
}

/** The buffers of a chunk that can move to another thread rather than be copied. */
export function chunkTransfers(chunk: TraceChunk): ArrayBuffer[] {
  const out: ArrayBuffer[] = [];
  if (chunk.choiceRuns.buffer instanceof ArrayBuffer) out.push(chunk.choiceRuns.buffer);
  if (chunk.stepTimesUs instanceof Float64Array && chunk.stepTimesUs.buffer instanceof ArrayBuffer && chunk.stepTimesUs.buffer !== chunk.choiceRuns.buffer) out.push(chunk.stepTimesUs.buffer);
  return out;
}

/**
 * A TraceChunk as the VMM actor posts it: its checkpoints (~500 a chunk in a latency run) as one
 * string, copied at once, rather than an array the structured clone walks string by string.
 * Measured apart (a worker posting such chunks to the main thread, 1,000 alternations): a post
 * 28-42 → 21-36 µs at the median. In a run, where a post that is not preempted takes 60-110 µs,
 * about half of it waking the main thread, the difference is within the noise.
 */
export type PostedChunk = Omit<TraceChunk, 'checkpoints'> & { checkpoints: string };

/** Checkpoints are hex digits: a newline cannot occur in one. */
const CHECKPOINT_SEPARATOR = '\n';

export function postedChunk(chunk: TraceChunk): PostedChunk {
  return { ...chunk, checkpoints: chunk.checkpoints.join(CHECKPOINT_SEPARATOR) };
}

/** The TraceChunk a PostedChunk was made from. */
export function receivedChunk(posted: PostedChunk): TraceChunk {
  return { ...posted, checkpoints: posted.checkpoints === '' ? [] : posted.checkpoints.split(CHECKPOINT_SEPARATOR) };
}
