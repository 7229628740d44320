/**
 * How a run fault ends a command: a runaway device (or a hung one) is a runtime failure, exit 3;
 * user code that threw is the user's finding, exit 1 (see README, "Exit codes").
 */
import type { RunFault } from '../actors/runFault.js';
import type { HungExecution } from '../explore/executionBoard.js';
import { EXIT } from './errors.js';

export function faultExit(fault: Pick<RunFault, 'kind'>): number {
  return fault.kind === 'runaway' || fault.kind === 'hung' ? EXIT.crash : EXIT.violation;
}

/** What a run fault was, as a run's verdict line names it (format.ts formatVerdict). */
export function faultWhat(fault: Pick<RunFault, 'kind'>): string {
  switch (fault.kind) {
    case 'deviceThrew': return 'the device code that threw';
    case 'invariantThrew': return 'the scenario invariant that threw';
    case 'runaway': return 'the device code that did not return';
    case 'hung': return 'the user code that did not return';
  }
}

/** A command ended by a run fault (runaway device, throwing user code): one line and its exit code. */
export class RunFaultError extends Error {
  override readonly name = 'RunFaultError';
  constructor(message: string, readonly exitCode: number) {
    super(message);
  }
}

/**
 * An exploration ended by the watchdog (device code that never returned, on the command's thread
 * or a pool's): the execution that hung, as its thread's board described it (null: it did not),
 * for `explore` to re-run into a trace (hungExecution.ts).
 */
export class ExecutionHung extends RunFaultError {
  constructor(message: string, readonly execution: HungExecution | null) {
    super(message, EXIT.crash);
  }
}
