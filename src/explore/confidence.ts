/**
 * What a clean campaign may honestly claim, per strategy.
 *
 * PCT (Burckhardt et al., ASPLOS 2010, Theorem 9): for a program of n threads and at most k
 * steps, one execution finds a given bug of depth d with probability at least 1 / (n k^(d-1)).
 * Here the threads are the CPU and the IRQ sources, each source a program of at most
 * `irqBudget` assertions, and the steps are the IRQ choice points (see strategies/pct.ts). A bug
 * is of depth d when d ordering constraints among those steps make it happen, whatever global
 * event order and call-now answers the run draws. After N clean executions, the chance that
 * such a bug exists and every execution missed it is at most (1 - 1/(n k^(d-1)))^N. The bound
 * says nothing about deeper bugs, bugs that need more assertions per source or a particular
 * global event order, nor bugs outside the choice points (which no strategy here reaches).
 * Nor about a source that asserts again inside its own handler (after its Phys_EOI and an
 * `sti`, the hardware may): strategies/pct.ts blocks a source while its handler runs, so such an
 * ordering has probability 0 under PCT, whatever its depth, and the words exclude it.
 *
 * k is the larger of the estimate the change points were drawn from and the most choice points
 * an execution really asked: a larger k only weakens the bound, so it stays an upper bound. The
 * change points themselves are drawn among the estimate's first choice points only (the quiet
 * schedule's count), so when executions asked more, an ordering that needs a priority change
 * past them is never drawn: the claim then names the choice points its change points cover.
 * PCT raises one source per choice point (the highest-priority one), so an ordering that needs
 * two sources to assert at the same point is outside it too, as is one that needs a particular
 * order of pending events or call-now answer (drawn at random, not by priority).
 *
 * POS, random, coverage-guided and the portfolio print no probabilistic bound: their sampling
 * carries no proof for this machine's bug classes. They report what ran, nothing more.
 *
 * Every claim is also scoped to the client workloads: the executions of a campaign differ in
 * their choices (IRQs, event order, call now) and run one of the campaign's N workloads
 * (workloads.ts; N = 1: the seed's own). A bug that needs the VMs to do something none of them
 * does (another VM current when a lifecycle step comes, a trap no workload makes) is outside
 * every bound here, so a clean campaign's words say which workloads they cover.
 *
 * With N workloads, PCT's bound holds per workload: the theorem is about one program, and each
 * workload is another program. Workload w ran n_w of the executions (round-robin, so n_w is
 * floor(E / N) or one more); the claim is made for each workload separately, over the fewest
 * executions any workload had, and says nothing of a bug whose workload is not among the N.
 */
export interface Confidence {
  actors: number;
  k: number;
  depth: number;
  /** Assertions each source may make (the length of a source's program). */
  irqBudget: number;
  executions: number;
  /** Client workloads the executions were spread over (1: the seed's own). */
  workloads: number;
  /** The fewest executions one workload ran: the N of the bound, which holds per workload. */
  executionsPerWorkload: number;
  /** The least chance that one execution finds a depth-d bug (null with no IRQ source: nothing to order, nothing claimed). */
  perExecution: number | null;
  /** The most chance that a depth-d bug exists and every execution missed it (null with no IRQ source). */
  missBound: number | null;
  /** The claim in words, with its bug class. */
  statement: string;
}

export function pctPerExecution(actors: number, k: number, depth: number): number {
  return 1 / (actors * Math.pow(Math.max(1, k), depth - 1));
}

/** `kDrawn`: the choice points the change points were drawn among (the strategy's k). */
export function pctConfidence(actors: number, k: number, depth: number, executions: number, irqBudget = Infinity, workloads = 1, kDrawn = k): Confidence {
  const perExecution = pctPerExecution(actors, k, depth);
  const executionsPerWorkload = Math.floor(executions / workloads);
  // exp(N log(1 - p)) stays accurate where (1 - p)^N underflows p to nothing.
  const missBound = Math.exp(executionsPerWorkload * Math.log1p(-Math.min(perExecution, 1)));
  const sources = actors - 1;
  const missed = workloads === 1
    ? `P(missed in all ${executions} executions)`
    : `for each of the ${workloads} workloads, P(missed in all of its >= ${executionsPerWorkload} executions)`;
  const statement = sources === 0 ? noSourceStatement(executions) : `if the bug is an ordering of depth <= ${depth} among the CPU and these ${sources} IRQ source(s)`
    + `${Number.isFinite(irqBudget) ? ` (each asserting at most ${irqBudget} times, besides the hardware's fairness)` : ''} over <= ${k} choice points`
    + `${depth > 1 && kDrawn < k ? `, its priority changes among the first ${kDrawn} (the points pct draws them from; executions asked up to ${k})` : ''},`
    + ` ${missed} <= ${missBound.toPrecision(3)} (per execution found with P >= ${perExecution.toPrecision(3)});`
    + ' no claim for deeper bugs (depth: 1 + the changes of which of them runs that the bug needs; the CPU never waits, so a source that asserts, lets the CPU run and asserts again is of depth 3), bugs that need a particular order of pending events (global, VM or priority) or call-now answer,'
    + `${sources > 1 ? ' two sources asserting at the same choice point (pct raises one per point),' : ''}`
    + ' or a source interrupting its own handler (pct never lets a source assert while its handler runs)';
  // No source: the numbers would read as certainty (P >= 1, missed <= 0) in --json as in words.
  if (sources === 0) return { actors, k, depth, irqBudget, executions, workloads, executionsPerWorkload, perExecution: null, missBound: null, statement };
  return { actors, k, depth, irqBudget, executions, workloads, executionsPerWorkload, perExecution, missBound, statement };
}

/**
 * With no IRQ source the CPU is pct's only thread: there is one IRQ schedule, every execution ran
 * it, and the theorem's 1/(n k^(d-1)) is 1 only because there is nothing to order. Printed as a
 * bound it would read as certainty about a scenario whose executions differed only in what pct
 * does not rank, so the words say that instead.
 */
function noSourceStatement(executions: number): string {
  return `no IRQ source: the CPU alone runs, so there is one IRQ schedule and all ${executions} executions ran it; pct's bound is about IRQ orderings and claims nothing here:`
    + ' not for bugs that need a particular order of pending events (global, VM or priority) or call-now answer (drawn at random, not by priority)';
}

/** The words a strategy without a bound prints after a clean campaign. */
export function noBoundStatement(strategy: string, executions: number, stopOn: 'any' | 'vmm' = 'any'): string {
  return `${strategy}: no ${stopOn === 'vmm' ? 'VMM invariant violation' : 'violation'} in ${executions} executions; no probabilistic bound is claimed (only pct has a proof, for orderings of bounded depth)`;
}

/** The scope every clean claim carries: the client workloads the executions ran. */
export function workloadScope(seed: number, steps: number, workloads = 1): string {
  if (workloads === 1) return `every execution ran the client workload of seed ${seed} (${steps} steps); bugs that need another workload need another --seed, more --workloads or another mix`;
  return `every execution ran one of the ${workloads} client workloads of seed ${seed} (${steps} steps each); bugs that need another workload need another --seed, more --workloads or another mix`;
}
