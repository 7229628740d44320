/**
 * What a clean PCT campaign says. PCT finds a bug of depth D with probability at least
 * 1 / (n k^(D-1)) per execution, for n actors and k steps (Burckhardt et al., ASPLOS 2010,
 * Theorem 9). After N executions that found nothing, the chance that such a bug exists and was
 * missed is at most (1 - 1/(n k^(D-1)))^N.
 *
 * Here n = 1 + IRQ sources (the CPU and each source) and k is the larger of the estimate the
 * change points were drawn from and the most choice points an execution really asked: a larger
 * k only weakens the bound, so the reported figure stays an upper bound.
 */
export interface Confidence {
  actors: number;
  k: number;
  depth: number;
  executions: number;
  /** The least chance that one execution finds a depth-D bug. */
  perExecution: number;
  /** The most chance that a depth-D bug exists and every execution missed it. */
  missBound: number;
}

export function pctConfidence(actors: number, k: number, depth: number, executions: number): Confidence {
  const perExecution = 1 / (actors * Math.pow(Math.max(1, k), depth - 1));
  // exp(N log(1 - p)) stays accurate where (1 - p)^N underflows p to nothing.
  const missBound = Math.exp(executions * Math.log1p(-Math.min(perExecution, 1)));
  return { actors, k, depth, executions, perExecution, missBound };
}
