/**
 * The simulated runtime: the whole machine on one thread, in virtual time, with every
 * nondeterministic choice answered by a strategy. The loop body (lifecycle steps due, one client
 * step, the user's invariants) is the RunLoop the threaded runtime shares; here it runs a fixed
 * number of steps, or until a violation if asked. A run fault (runaway device code, user code
 * that threw) ends it with RunAborted, which carries the result up to that point.
 */
import { RunLoop, type RunLoopOptions, type SimRunResult, type StopOn } from '../runLoop.js';
import { RunAborted, runFaultOf } from '../runFault.js';

export type { SimRunResult, StopOn };

export interface SimRunOptions extends RunLoopOptions {
  steps: number;
}

export function runSim(options: SimRunOptions): SimRunResult {
  return runLoopSteps(new RunLoop(options), options.steps);
}

/** Runs a new (or restarted) loop for up to `steps` steps and finishes it. */
export function runLoopSteps(loop: RunLoop, steps: number): SimRunResult {
  try {
    while (loop.steps < steps) {
      if (loop.step()) break;
    }
  } catch (error) {
    const fault = runFaultOf(error);
    if (fault === null) throw error;
    throw new RunAborted(fault, loop.finish(fault));
  }
  const result = loop.finish();
  // User code threw while the run ended (an end-of-run invariant, a shutdown's control procedure).
  if (result.fault !== null) throw new RunAborted(result.fault, result);
  return result;
}
