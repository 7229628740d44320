/**
 * What the CLI tells the shell. Bad input is a UsageError: one line on stderr, exit 2, never a
 * stack trace.
 */

export const EXIT = {
  ok: 0,
  /** A VMM invariant broke (or, for explore/replay, the run found what it reports). */
  violation: 1,
  usage: 2,
  /** An actor (worker thread) crashed. */
  crash: 3,
  /** Interrupted by SIGINT. */
  interrupted: 130,
} as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/**
 * Writing an output failed mid-run (disk full, an I/O error, a file removed under us): a runtime
 * failure, one line and exit 3, never a stack trace. A trace written so far stays as it is.
 */
export function ioFailureMessage(error: unknown): string | null {
  if (!(error instanceof Error)) return null;
  if (error.name === 'TraceWriteError' || error.name === 'LogWriteError') return error.message;
  const e = error as NodeJS.ErrnoException;
  if (typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code) && typeof e.syscall === 'string') {
    return `${e.syscall} failed${e.path !== undefined ? ` for ${e.path}` : ''}: ${e.code} (${e.message.replace(/^[A-Z]+: /, '').split(',')[0]})`;
  }
  return null;
}

/** A scenario module's own code that threw outside any device procedure: exit 1 (see there). */
export { scenarioCodeFailure as userCodeFailure } from '../shared/scenarioCodeFailure.js';
