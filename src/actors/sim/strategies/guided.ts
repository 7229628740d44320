/**
 * The choice source of one coverage-guided execution: it follows a candidate choice sequence (a
 * mutated log from the corpus) and, where the sequence has no answer of the kind the core asks
 * for, or has run out, draws the answer at random as the uniform random strategy does. A
 * sequence is positional, like a replayed trace: a mutation that shifts it still gives a valid
 * run, the run just goes elsewhere from there.
 */
import type { Rng } from '../../../shared/rng.js';
import type { ChoiceSource, IrqPoint } from '../../../vmm/choices.js';
import type { ChoiceLog } from '../choiceLog.js';
import type { SourceInfo } from '../irqSources.js';

const IRQ = 0;
const ORDER = 1;
const LATITUDE = 2;

export interface GuidedOptions {
  /** Chance per eligible source per point once the sequence is spent. */
  irqChance: number;
  /** Interrupts the execution may raise in all. */
  irqBudget: number;
}

export class GuidedChoices implements ChoiceSource {
  private index = 0;
  private irqsLeft: number;

  constructor(private readonly rng: Rng, private readonly sources: readonly SourceInfo[], private readonly plan: ChoiceLog, private readonly options: GuidedOptions) {
    this.irqsLeft = options.irqBudget;
  }

  irqArrivals(point: IrqPoint): number {
    const planned = this.take(IRQ);
    let mask = 0;
    if (planned !== undefined) mask = planned & point.eligibleSources;
    else {
      for (let i = 0; i < this.sources.length; i++) {
        if ((point.eligibleSources & (1 << i)) !== 0 && this.rng.chance(this.options.irqChance)) mask |= 1 << i;
      }
    }
    let kept = 0;
    for (let i = 0; i < this.sources.length && this.irqsLeft > 0; i++) {
      if ((mask & (1 << i)) === 0) continue;
      kept |= 1 << i;
      this.irqsLeft--;
    }
    return kept;
  }

  nextGlobalEvent(pending: number): number {
    const planned = this.take(ORDER);
    return planned !== undefined && planned < pending ? planned : this.rng.int(pending);
  }

  callNow(): boolean {
    const planned = this.take(LATITUDE);
    return planned !== undefined ? planned === 1 : this.rng.chance(0.5);
  }

  /** The planned answer at this position if it is of the kind asked for. */
  private take(kind: number): number | undefined {
    if (this.index >= this.plan.length) return undefined;
    const at = this.index++;
    return this.plan.kinds[at] === kind ? this.plan.values[at] : undefined;
  }
}
