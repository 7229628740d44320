/**
 * Strict replay straight from a trace's run-length-encoded choices ([kind, value, repeat]
 * triples), without expanding them: a 10-minute threaded run records hundreds of millions of
 * choices, far more than an array of them can hold, but only about a million triples. The
 * answers are exactly ReplayChoices' (strict): the same values, the same divergence errors.
 */
import type { ChoiceKind, ChoiceSource, IrqPoint } from '../../vmm/choices.js';
import { ReplayDivergence, type SerializedChoices } from './choiceLog.js';

const KIND_NAME: readonly ChoiceKind[] = ['irq', 'order', 'latitude', 'idle'];

export class RunLengthReplay implements ChoiceSource {
  /** Choices consumed in all. */
  private index = 0;
  /** The triple being read, and how many of its repeats are used. */
  private triple = 0;
  private used = 0;

  constructor(private readonly triples: SerializedChoices) {
    for (const [kind, value, repeat] of triples) {
      if (KIND_NAME[kind] === undefined || !Number.isInteger(value) || !Number.isInteger(repeat) || repeat < 1) {
        throw new Error(`bad choice entry [${kind}, ${value}, ${repeat}]`);
      }
    }
  }

  get consumed(): number {
    return this.index;
  }

  get exhausted(): boolean {
    return this.triple >= this.triples.length;
  }

  irqArrivals(point: IrqPoint): number {
    return this.take('irq') & point.eligibleSources;
  }

  nextGlobalEvent(pending: number): number {
    const value = this.take('order');
    return value < pending ? value : 0;
  }

  callNow(): boolean {
    return this.take('latitude') === 1;
  }

  /** True exactly where the recorded run had an idle step (an 'idle' entry comes next). */
  clientStillRunning(): boolean {
    if (this.exhausted || KIND_NAME[this.triples[this.triple]![0]] !== 'idle') return false;
    this.advance();
    return true;
  }

  private take(kind: ChoiceKind): number {
    if (this.exhausted) throw new ReplayDivergence(this.index, 'no more choices', kind);
    const [code, value] = this.triples[this.triple]!;
    const at = this.index;
    this.advance();
    const recorded = KIND_NAME[code]!;
    if (recorded !== kind) throw new ReplayDivergence(at, recorded, kind);
    return value;
  }

  private advance(): void {
    this.index++;
    if (++this.used === this.triples[this.triple]![2]) {
      this.triple++;
      this.used = 0;
    }
  }
}
