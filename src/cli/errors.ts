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
