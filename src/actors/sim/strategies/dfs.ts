/**
 * Bounded exhaustive search: the tree of choices and the choice source that walks it. An
 * execution replays a prefix of decisions and then takes the first option at each new choice
 * point. After an execution the deepest choice point with options left is advanced
 * (backtracking); when none is left the space within the bounds has been exhausted.
 *
 * Stateless, an execution re-runs the machine from the start to reach the advanced point.
 * Stateful (`src/state/statefulDfs.ts`), it resumes from a snapshot taken at the step boundary
 * before that point (`rewind`), and ends an execution at a step boundary whose state was
 * already explored with at least the same budget left (`remaining`).
 *
 * Options at each choice point:
 * - irq: 1 + the eligible sources: "no IRQ" (option 0) or exactly one source asserting. Only
 *   option 0 once the execution has taken `irqBound` IRQs in all, or, inside ring-0 code, once
 *   it has taken `preemptionBound` IRQs there (an IRQ that interrupts the VMM is a preemption);
 * - order: one option per pending global event (option 0 = FIFO);
 * - latitude: 2 (option 0 = call now, the plain answer; 1 = schedule).
 * The step bound (client steps per execution) is the run's `steps`.
 *
 * Determinism makes the replayed prefix take the same path, with the same option counts; a
 * count that differs means the scenario is not deterministic, which the tree reports loudly.
 */
import type { ChoiceSource, IrqPoint } from '../../../vmm/choices.js';

export interface DfsBounds {
  /** IRQs taken inside ring-0 code per execution. */
  preemptionBound: number;
  /** IRQs per execution in all. */
  irqBound: number;
}

interface Branch {
  chosen: number;
  options: number;
}

/** The search tree, kept as the path of the current execution (only points with 2+ options). */
export class DfsTree {
  private readonly path: Branch[] = [];
  private depth = 0;
  executions = 0;
  exhausted = false;

  /** The decision at the next branching point of this execution. */
  choose(options: number): number {
    if (options <= 1) return 0;
    const at = this.depth++;
    const branch = this.path[at];
    if (branch === undefined) {
      this.path.push({ chosen: 0, options });
      return 0;
    }
    if (branch.options !== options) {
      throw new Error(`dfs: branching point ${at} had ${branch.options} options and now has ${options}: the scenario is not deterministic`);
    }
    return branch.chosen;
  }

  /** Ends an execution and moves to the next path; false once the space is exhausted. */
  advance(): boolean {
    this.executions++;
    this.path.length = Math.min(this.path.length, this.depth);
    this.depth = 0;
    while (this.path.length > 0 && this.path[this.path.length - 1]!.chosen + 1 >= this.path[this.path.length - 1]!.options) this.path.pop();
    const last = this.path[this.path.length - 1];
    if (last === undefined) {
      this.exhausted = true;
      return false;
    }
    last.chosen++;
    return true;
  }

  /** Branching points on the current path (for progress). */
  get pathLength(): number {
    return this.path.length;
  }

  /** Branching points this execution has passed so far. */
  get position(): number {
    return this.depth;
  }

  /**
   * True once this execution has passed the point `advance` moved: from here on it is in a part
   * of the tree no execution has seen (before it, it re-walks the path to that point).
   */
  get beyondFrontier(): boolean {
    return this.depth >= this.path.length;
  }

  /** Resume the current path at branching point `depth` (a snapshot taken there is restored). */
  rewind(depth: number): void {
    if (depth > this.path.length) throw new Error(`dfs: cannot rewind to ${depth}, the path has ${this.path.length} points`);
    this.depth = depth;
  }
}

/** The choice source of one dfs execution: asks the tree at every choice point, within the bounds. */
export class DfsChoices implements ChoiceSource {
  irqsTaken = 0;
  preemptions = 0;

  constructor(private readonly tree: DfsTree, private readonly bounds: DfsBounds) {}

  /** The budget left: what a state reached again must not exceed to be pruned. */
  get remaining(): { irqs: number; preemptions: number } {
    const irqs = this.bounds.irqBound - this.irqsTaken;
    return { irqs, preemptions: Math.min(irqs, this.bounds.preemptionBound - this.preemptions) };
  }

  irqArrivals(point: IrqPoint): number {
    const allowed = this.irqsTaken < this.bounds.irqBound && (!point.inRing0 || this.preemptions < this.bounds.preemptionBound);
    if (!allowed) return 0;
    const sources: number[] = [];
    for (let bit = 0; bit < 31; bit++) if ((point.eligibleSources & (1 << bit)) !== 0) sources.push(bit);
    const option = this.tree.choose(1 + sources.length);
    if (option === 0) return 0;
    this.irqsTaken++;
    if (point.inRing0) this.preemptions++;
    return 1 << sources[option - 1]!;
  }

  nextGlobalEvent(pending: number): number {
    return this.tree.choose(pending);
  }

  callNow(): boolean {
    return this.tree.choose(2) === 0;
  }
}
