/**
 * The bound on a synchronous child process a test starts. A synchronous spawn blocks the test's
 * event loop, so vitest's own timeout cannot end it: one hung child would hang the whole suite,
 * and CI has a wall-clock budget. SIGKILL, because a hung vmmsim may never get to run its
 * SIGTERM handler (a spawnSync waits for the child's exit, however long).
 */
export function childBound(timeoutMs = 240_000): { timeout: number; killSignal: 'SIGKILL' } {
  return { timeout: timeoutMs, killSignal: 'SIGKILL' };
}
