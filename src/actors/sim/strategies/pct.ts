/**
 * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010),
 * mapped onto one CPU. The actors that compete at a preemption point are "the CPU continues"
 * (actor 0) and each IRQ source (actor 1 + i): n = 1 + sources.
 *
 * - Each actor gets a distinct random priority from D .. D+n-1 (higher runs first).
 * - D-1 change points are drawn uniformly, without repeats, from [1, k], where k is the number
 *   of IRQ choice points one execution is expected to have (the explorer estimates it).
 * - At each IRQ choice point the highest-priority enabled actor runs: a source runs by asserting
 *   its IRQ now, the CPU runs by taking none. The CPU is always enabled; a source is enabled when
 *   it may assert (eligible) and the execution's interrupt budget is not spent.
 * - After the j-th choice point, if j is the i-th change point, the actor that ran there drops
 *   to priority i (below every initial priority, as in the paper).
 *
 * A source with the top priority asserts at every point it is eligible: the budget (irqBudget)
 * is what keeps an execution finite. The order of pending global events and the latitude's
 * call-now answers are not scheduling steps of an actor: PCT draws them at random from its seed.
 */
import type { Rng } from '../../../shared/rng.js';
import type { ChoiceSource, IrqPoint } from '../../../vmm/choices.js';

export interface PctOptions {
  /** Bug depth D: D-1 priority change points. */
  depth: number;
  /** Choice points per execution (the step bound of the PCT paper). */
  k: number;
  /** Interrupts one execution may raise in all. */
  irqBudget: number;
}

export class PctStrategy implements ChoiceSource {
  /** priorities[0] is the CPU's, priorities[1 + i] source i's; the highest runs. */
  readonly priorities: number[];
  /** 1-based indices of the choice points after which the running actor drops, ascending. */
  readonly changePoints: number[];
  private point = 0;
  private irqsLeft: number;

  constructor(private readonly rng: Rng, readonly sourceCount: number, readonly options: PctOptions) {
    if (!Number.isInteger(options.depth) || options.depth < 1) throw new RangeError(`PCT depth must be an integer >= 1, got ${options.depth}`);
    const n = 1 + sourceCount;
    this.priorities = shuffle(rng, Array.from({ length: n }, (_, i) => options.depth + i));
    this.changePoints = sampleDistinct(rng, Math.max(1, options.k), options.depth - 1);
    this.irqsLeft = options.irqBudget;
  }

  /** Choice points answered so far in this execution. */
  get pointsSeen(): number {
    return this.point;
  }

  irqArrivals(point: IrqPoint): number {
    this.point++;
    let runner = 0;
    for (let i = 0; i < this.sourceCount; i++) {
      const enabled = this.irqsLeft > 0 && (point.eligibleSources & (1 << i)) !== 0;
      if (enabled && this.priorities[1 + i]! > this.priorities[runner]!) runner = 1 + i;
    }
    const change = this.changePoints.indexOf(this.point);
    if (change >= 0) this.priorities[runner] = change + 1;
    if (runner === 0) return 0;
    this.irqsLeft--;
    return 1 << (runner - 1);
  }

  nextGlobalEvent(pending: number): number {
    return this.rng.int(pending);
  }

  callNow(): boolean {
    return this.rng.chance(0.5);
  }
}

function shuffle<T>(rng: Rng, values: T[]): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [values[i], values[j]] = [values[j]!, values[i]!];
  }
  return values;
}

/** `count` distinct integers drawn uniformly from [1, k] (all of them if k < count), ascending. */
function sampleDistinct(rng: Rng, k: number, count: number): number[] {
  if (count >= k) return Array.from({ length: k }, (_, i) => i + 1);
  const picked = new Set<number>();
  while (picked.size < count) picked.add(1 + rng.int(k));
  return [...picked].sort((a, b) => a - b);
}
