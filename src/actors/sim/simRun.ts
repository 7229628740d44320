/**
 * The simulated runtime: the whole machine on one thread, in virtual time, with every
 * nondeterministic choice answered by a strategy. The loop body (lifecycle steps due, one client
 * step, the user's invariants) is the RunLoop the threaded runtime shares; here it runs a fixed
 * number of steps, or until a violation if asked.
 */
import { RunLoop, type RunLoopOptions, type SimRunResult, type StopOn } from '../runLoop.js';

export type { SimRunResult, StopOn };

export interface SimRunOptions extends RunLoopOptions {
  steps: number;
}

export function runSim(options: SimRunOptions): SimRunResult {
  const loop = new RunLoop(options);
  while (loop.steps < options.steps) {
    if (loop.step()) break;
  }
  return loop.finish();
}
