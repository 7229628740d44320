/**
 * A thread that runs scenario code ended on its own: only the scenario's `process.exit` does
 * that (vmmsim's code never exits a thread). It is the user's code ending the run, exit 3 as on
 * the other threads, not an internal error with piscina's stack ("worker exited with code: 0").
 */
export class ThreadExited extends Error {
  override readonly name = 'ThreadExited';
}

/** piscina's rejection when a pool thread exits under a task, as a ThreadExited naming the pool; else null. */
export function poolThreadExited(error: unknown, pool: string): ThreadExited | null {
  const match = error instanceof Error ? /^worker exited with code: (-?\d+)/.exec(error.message) : null;
  return match === null ? null : new ThreadExited(`${pool} thread exited with code ${match[1]} while it ran scenario code (did scenario code call process.exit?); the campaign is ended`);
}
