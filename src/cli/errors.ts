/**
 * What the CLI tells the shell. Bad input is a UsageError: one line on stderr, exit 2, never a
 * stack trace.
 */
import { fileURLToPath } from 'node:url';

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

/**
 * An error thrown by a scenario module's own code outside any device procedure (a timer it set,
 * a promise it left rejected): the user's error, exit 1, with where it was thrown. A module is
 * imported through tsx, whose URLs carry its namespace: a stack frame there is the module's.
 */
export function userCodeFailure(error: unknown): string | null {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return null;
  const frame = /(file:\/\/[^\s()]+)\?tsx-namespace=[^\s():]*:(\d+):(\d+)/.exec(error.stack);
  if (frame === null) return null;
  let message: string;
  try {
    message = String(error.message).split('\n')[0]!;
  } catch {
    message = 'a value that cannot be printed was thrown';
  }
  return `scenario code threw outside a device procedure: ${message} (at ${fileURLToPath(frame[1]!)}:${frame[2]}:${frame[3]})`;
}
