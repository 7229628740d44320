/**
 * A simulated run that hands its decision log out as it goes, in TraceChunks (the same pieces
 * the VMM actor sends on threads), so the trace streams to disk and a run stopped at any point
 * (SIGINT, the watchdog) has a trace up to its last chunk. Used by `run --runtime sim`, which
 * runs on a worker thread that a watcher can stop.
 */
import type { SimulateOptions } from './simulate.js';
import { defaultStrategy } from './simulate.js';
import { RecordingChoices } from './choiceLog.js';
import { RunLoop, type SimRunResult } from '../runLoop.js';
import { runFaultOf, type RunFault } from '../runFault.js';
import type { TraceChunk } from '../threads/protocol.js';
import { loopChunk } from '../traceChunk.js';

/** Steps per chunk: a chunk is a few KB; a run stopped by the watchdog loses at most this many. */
const CHUNK_STEPS = 256;

export interface ChunkedRun {
  result: SimRunResult;
  /** Stopped early because `cancelled()` said so. */
  interrupted: boolean;
}

/** `chunkSteps`: steps per chunk, where a trace cut by the watchdog may end (a re-run of a hung execution: every step). */
export function simulateInChunks(options: SimulateOptions, onChunk: (chunk: TraceChunk) => void, cancelled: () => boolean, chunkSteps = CHUNK_STEPS): ChunkedRun {
  const strategy = options.strategy ?? defaultStrategy(options.scenario, options.seed);
  const recording = new RecordingChoices(strategy.choices);
  const loop = new RunLoop({ scenario: options.scenario, seed: options.seed, choices: recording, config: options.config, stopOn: options.stopOn ?? 'never' });
  let fault: RunFault | null = null;
  let interrupted = false;
  try {
    onChunk(chunkOf(loop, recording, null, false)); // a trace exists from the first step on
    while (loop.steps < options.steps) {
      if (loop.step()) break;
      if (loop.steps % chunkSteps === 0 && loop.steps < options.steps) {
        onChunk(chunkOf(loop, recording, null, false));
        if (cancelled()) {
          interrupted = true;
          break;
        }
      }
    }
  } catch (error) {
    fault = runFaultOf(error);
    if (fault === null) throw error;
  }
  // An interrupted run is cut, not shut down: its trace says so (not final), and its replay,
  // which stops where the trace does without a shutdown, must end as the run did.
  const result = loop.finish(fault, interrupted);
  // A fault in the shutdown ends a whole run (final: its replay shuts down too, and meets it).
  onChunk(chunkOf(loop, recording, result.fault, !interrupted && fault === null, fault !== null));
  return { result, interrupted };
}

function chunkOf(loop: RunLoop, recording: RecordingChoices, fault: RunFault | null, final: boolean, faultInStep = true): TraceChunk {
  return loopChunk(loop, recording, fault === null ? null : { kind: fault.kind, message: fault.message }, final, {
    stepTimesUs: [], violations: [], warnings: [], elapsedUs: 0, lifecycleAtStep: null,
  }, faultInStep);
}
