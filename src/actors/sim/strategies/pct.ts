/**
 * Probabilistic Concurrency Testing (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010),
 * mapped onto one CPU with interrupts.
 *
 * Threads. n = 1 + sources: thread 0 is the CPU (whatever ring-0 or ring-3 code runs now, handlers
 * included), thread 1 + i is IRQ source i, a little program of at most `irqBudget` assertions.
 * Steps. One step per IRQ choice point (a preemption point with interrupts enabled): the thread
 * that runs there either is the CPU (no IRQ; the code goes on to its next point) or a source
 * (it asserts now; its handler then runs as CPU steps). k bounds these steps per execution.
 *
 * - Each thread gets a distinct random priority from D .. D+n-1 (higher runs first).
 * - D-1 change points are drawn uniformly, without repeats, from [1, k].
 * - At each step the highest-priority *enabled* thread runs. The CPU is always enabled. A source
 *   is enabled when the core says it may assert (eligible), it has assertions left, and its own
 *   handler is not running: its device is busy until the IRET, so it cannot be the next step.
 * - After the j-th step, if j is the i-th change point drawn, the thread that ran drops to
 *   priority i (below every initial priority, as in the paper). The i is the draw's, not the
 *   point's rank in time: a later change point may drop its thread below an earlier one's. So a
 *   source can assert, let the CPU run (its change point drops it), and assert again once a later
 *   change point drops the CPU below it (depth 3): with the ranks in time order, the CPU always
 *   stayed above a source dropped before it, and such a bug (an outside audit's lost wake-up, an
 *   interrupt inside the drain that an earlier interrupt scheduled) was found with probability 0
 *   whatever the depth, under a claim that bounded it.
 *
 * What this buys: a bug that needs source B inside source A's handler after A's `sti` is an
 * ordering of depth 2 (A before B before A's handler returns): with A > B > CPU, B asserts at the
 * first point of A's handler where interrupts are on; with A > CPU > B, the change point that
 * drops the CPU inside A's window lets B in there. The earlier mapping let a top-priority source
 * re-assert inside its own handler and spend the execution's whole interrupt budget on itself.
 *
 * The order of pending global events and the latitude's call-now answers are not steps of a
 * thread: PCT draws them at random from its seed (its bound covers IRQ orderings only).
 */
import type { Rng } from '../../../shared/rng.js';
import type { ChoiceSource, IrqPoint } from '../../../vmm/choices.js';
import type { HistoryRecord } from '../../../vmm/history.js';
import type { SourceInfo } from '../irqSources.js';
import { IN_SERVICE_KINDS, InServiceSources, type RecordObserver } from './inService.js';

export interface PctOptions {
  /** Bug depth D: D-1 priority change points. */
  depth: number;
  /** Steps (IRQ choice points) per execution: the k of the paper. */
  k: number;
  /** Assertions each source may make in one execution (the length of a source's program). */
  irqBudget: number;
}

export class PctStrategy implements ChoiceSource, RecordObserver {
  /** priorities[0] is the CPU's, priorities[1 + i] source i's; the highest runs. */
  readonly priorities: number[] = [];
  /** 1-based indices of the steps after which the running thread drops, ascending. */
  readonly changePoints: number[] = [];
  /** The priority each change point drops its thread to (beside `changePoints`): its draw's index, from 1. */
  readonly changePriorities: number[] = [];
  private step = 0;
  /** Index in changePoints of the next change point to come. */
  private nextChange = 0;
  private readonly assertionsLeft: number[] = [];
  private readonly inService: InServiceSources;
  /** It reads records only to know which sources are in service. */
  readonly recordKinds = IN_SERVICE_KINDS;

  constructor(private rng: Rng, readonly sources: readonly SourceInfo[], readonly options: PctOptions) {
    if (!Number.isInteger(options.depth) || options.depth < 1) throw new RangeError(`PCT depth must be an integer >= 1, got ${options.depth}`);
    this.inService = new InServiceSources(sources);
    this.draw();
  }

  /**
   * The strategy a new one on `rng` (same sources and options) would be: the explorer keeps one
   * per campaign range and restarts it for each execution, its arrays rewritten in place.
   */
  restart(rng: Rng): this {
    this.rng = rng;
    this.step = 0;
    this.nextChange = 0;
    this.inService.reset();
    this.draw();
    return this;
  }

  /** The execution's priorities, change points and budgets, drawn in a new strategy's order. */
  private draw(): void {
    const { depth, k, irqBudget } = this.options;
    const priorities = this.priorities;
    for (let i = 0; i <= this.sources.length; i++) setAt(priorities, i, depth + i);
    shuffle(this.rng, priorities);
    sampleDistinct(this.rng, Math.max(1, k), depth - 1, this.changePoints, this.changePriorities);
    for (let i = 0; i < this.sources.length; i++) setAt(this.assertionsLeft, i, irqBudget);
  }

  /** Steps taken so far in this execution. */
  get pointsSeen(): number {
    return this.step;
  }

  onRecord(record: HistoryRecord, kind?: number): void {
    this.inService.onRecord(record, kind);
  }

  irqArrivals(point: IrqPoint): number {
    this.step++;
    const blocked = this.inService.mask;
    let runner = 0;
    for (let i = 0; i < this.sources.length; i++) {
      const enabled = this.assertionsLeft[i]! > 0 && (point.eligibleSources & (1 << i)) !== 0 && (blocked & (1 << i)) === 0;
      if (enabled && this.priorities[1 + i]! > this.priorities[runner]!) runner = 1 + i;
    }
    // The change points ascend and the steps count up by one: the next one due is the only one to look at.
    const change = this.nextChange;
    if (change < this.changePoints.length && this.changePoints[change] === this.step) {
      this.priorities[runner] = this.changePriorities[change]!;
      this.nextChange = change + 1;
    }
    if (runner === 0) return 0;
    this.assertionsLeft[runner - 1]!--;
    return 1 << (runner - 1);
  }

  nextGlobalEvent(pending: number): number {
    return this.rng.int(pending);
  }

  callNow(): boolean {
    return this.rng.chance(0.5);
  }
}

export function shuffle<T>(rng: Rng, values: T[]): T[] {
  for (let i = values.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const swapped = values[i]!;
    values[i] = values[j]!;
    values[j] = swapped;
  }
  return values;
}

/**
 * values[i] = value, appending at the end: a restart rewrites its arrays in place, where emptying
 * one first (length 0) would drop its backing store and the pushes grow a new one.
 */
function setAt(values: number[], i: number, value: number): void {
  if (i < values.length) values[i] = value;
  else values.push(value);
}

/** Cuts `values` to `length` (a store to `length` is a call into the runtime even when it changes nothing: most restarts keep it). */
function setLength(values: number[], length: number): void {
  if (values.length !== length) values.length = length;
}

/**
 * `count` distinct integers drawn uniformly from [1, k] (all of them if k < count), ascending,
 * written over `into`, and beside each in `ranks` the index of its draw from 1 (all of [1, k],
 * in a random order, when every point is one).
 */
function sampleDistinct(rng: Rng, k: number, count: number, into: number[], ranks: number[]): void {
  if (count >= k) {
    for (let i = 0; i < k; i++) {
      setAt(into, i, i + 1);
      setAt(ranks, i, i + 1);
    }
    setLength(into, k);
    setLength(ranks, k);
    shuffle(rng, ranks);
    return;
  }
  if (count === 1) {
    setAt(into, 0, 1 + rng.int(k)); // depth 2, the default: one draw, as the loop below makes it
    setAt(ranks, 0, 1);
    setLength(into, 1);
    setLength(ranks, 1);
    return;
  }
  const picked = new Set<number>();
  while (picked.size < count) picked.add(1 + rng.int(k));
  // In time order, each with its draw's index (a Set keeps insertion order).
  const drawn = [...picked];
  const byTime = drawn.map((_, i) => i).sort((a, b) => drawn[a]! - drawn[b]!);
  for (let i = 0; i < count; i++) {
    setAt(into, i, drawn[byTime[i]!]!);
    setAt(ranks, i, byTime[i]! + 1);
  }
  setLength(into, count);
  setLength(ranks, count);
}
