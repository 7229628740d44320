/**
 * A TraceChunk from the run loop: what it has made since the last chunk (choices, checkpoints)
 * and where it stands (hash, counts, first violation). Both runtimes send chunks; each adds what
 * only it knows (step times, the violations it lists, wall time, where the lifecycle fell).
 */
import type { RecordingChoices } from './sim/choiceLog.js';
import type { RunLoop } from './runLoop.js';
import type { TraceChunk } from './threads/protocol.js';

export type RuntimeChunkPart = Pick<TraceChunk, 'stepTimesUs' | 'violations' | 'elapsedUs' | 'lifecycleAtStep'>;

export function loopChunk(loop: RunLoop, recording: RecordingChoices, fault: TraceChunk['fault'], final: boolean, runtime: RuntimeChunkPart): TraceChunk {
  const { checker } = loop;
  const first = checker.violations[0];
  return {
    // A fault stopped the machine inside a step: that step counts (a replay must run it too).
    steps: fault === null ? loop.steps : loop.steps + 1,
    records: loop.recorder.hasher.records,
    traceHash: loop.recorder.hasher.hex(),
    checkpoints: loop.recorder.checkpoints.splice(0),
    choices: recording.log.drain(),
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
