/**
 * The corpus of the coverage-guided strategy: choice sequences that each reached something no
 * earlier one did. A new candidate is a mutation of a corpus entry; it joins the corpus when its
 * execution adds a feature. The idea is Fray's FEST scheduler (repository cmu-pasta/fray, path
 * core/src/main/kotlin/org/pastalab/fray/core/scheduler/FestScheduler.kt, after "Feedback-guided
 * Adaptive Testing", NSDI '26): keep the recorded random stream of an execution that raised
 * coverage, replay mutations of it. Here the recorded stream is the choice log itself, and the
 * mutations know what its entries mean (an IRQ, an event order).
 *
 * Mutations, each positional on the [kind, value] sequence:
 * - splice: a prefix of one entry, then the rest of another;
 * - flip: an IRQ answer changed to another single source, or to none;
 * - insert / delete IRQ: a no-IRQ answer made an interrupt, or an interrupt removed;
 * - shift IRQ: an interrupt moved a few points earlier or later;
 * - reorder: a global-event order answer changed;
 * - cut: the sequence ends early (the rest of the run is random).
 */
import { ChoiceLog } from '../actors/sim/choiceLog.js';
import type { Rng } from '../shared/rng.js';

const IRQ = 0;
const ORDER = 1;

export class Corpus {
  readonly entries: ChoiceLog[] = [];
  readonly seen = new Set<number>();

  /** Keeps the log if its features add anything; true when kept. */
  offer(log: ChoiceLog, features: ReadonlySet<number>): boolean {
    let fresh = false;
    for (const f of features) {
      if (!this.seen.has(f)) {
        this.seen.add(f);
        fresh = true;
      }
    }
    if (fresh) this.entries.push(log);
    return fresh;
  }

  /** A new candidate: 1-4 stacked mutations of a random entry (an empty plan if there is none). */
  candidate(rng: Rng, sourceCount: number): ChoiceLog {
    const out = new ChoiceLog();
    if (this.entries.length === 0) return out;
    const base = this.entries[rng.int(this.entries.length)]!;
    const kinds = base.kinds.slice();
    const values = base.values.slice();
    const rounds = 1 + rng.int(4);
    for (let r = 0; r < rounds; r++) this.mutate(rng, sourceCount, kinds, values);
    for (let i = 0; i < kinds.length; i++) {
      out.kinds.push(kinds[i]!);
      out.values.push(values[i]!);
    }
    return out;
  }

  private mutate(rng: Rng, sourceCount: number, kinds: number[], values: number[]): void {
    const randomSource = (): number => (sourceCount > 0 ? 1 << rng.int(sourceCount) : 0);
    const positionOf = (kind: number, nonZero: boolean | null): number => {
      const at: number[] = [];
      for (let i = 0; i < kinds.length; i++) if (kinds[i] === kind && (nonZero === null || (values[i] !== 0) === nonZero)) at.push(i);
      return at.length === 0 ? -1 : at[rng.int(at.length)]!;
    };
    switch (rng.int(7)) {
      case 0: {
        const other = this.entries[rng.int(this.entries.length)]!;
        const cut = rng.int(kinds.length + 1);
        const from = Math.min(cut, other.length);
        kinds.length = cut;
        values.length = cut;
        for (let i = from; i < other.length; i++) {
          kinds.push(other.kinds[i]!);
          values.push(other.values[i]!);
        }
        return;
      }
      case 1: {
        const at = positionOf(IRQ, null);
        if (at >= 0) values[at] = rng.chance(0.3) ? 0 : randomSource();
        return;
      }
      case 2: {
        const at = positionOf(IRQ, false);
        if (at >= 0) values[at] = randomSource();
        return;
      }
      case 3: {
        const at = positionOf(IRQ, true);
        if (at >= 0) values[at] = 0;
        return;
      }
      case 4: {
        const at = positionOf(IRQ, true);
        if (at < 0) return;
        const to = Math.max(0, Math.min(kinds.length - 1, at + rng.int(9) - 4));
        if (kinds[to] !== IRQ) return;
        [values[at], values[to]] = [values[to]!, values[at]!];
        return;
      }
      case 5: {
        const at = positionOf(ORDER, null);
        if (at >= 0) values[at] = rng.int(4);
        return;
      }
      default: {
        const cut = rng.int(kinds.length + 1);
        kinds.length = cut;
        values.length = cut;
      }
    }
  }
}
