/**
 * A strict replay's choices read from a stream of run-length-encoded runs, one run at a time:
 * memory does not grow with the trace (a run of a billion "no IRQ" answers is three numbers).
 * Answers exactly as ReplayChoices does in strict mode.
 */
import type { ChoiceKind, ChoiceSource, IrqPoint } from '../../vmm/choices.js';
import { ReplayDivergence } from './choiceLog.js';

/** Leftover choice runs (or checkpoints, replay.ts) counted between two looks at a replay's `cancelled`. */
export const CANCEL_POLL_ITEMS = 4096;

const KIND_NAME: ChoiceKind[] = ['irq', 'order', 'latitude', 'idle'];

export class StreamChoices implements ChoiceSource {
  /** Choices answered so far. */
  index = 0;
  private kind = -1;
  private value = 0;
  private left = 0;

  constructor(private readonly runs: Iterator<readonly [number, number, number]>) {}

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
  clientStillRunning(): boolean {
    if (!this.fill() || KIND_NAME[this.kind] !== 'idle') return false;
    this.left--;
    this.index++;
    return true;
  }

  /** Choices in the stream that the run never asked for (0 for a faithful replay). */
  /** The choices left; null if `cancelled` said so first (asked every CANCEL_POLL_ITEMS runs). */
  unconsumed(cancelled?: () => boolean): number | null {
    let n = this.left;
    let runs = 0;
    for (let r = this.runs.next(); r.done !== true; r = this.runs.next()) {
      n += r.value[2];
      if (++runs % CANCEL_POLL_ITEMS === 0 && cancelled?.() === true) return null;
    }
    this.left = 0;
    return n;
  }

  private take(kind: ChoiceKind): number {
    if (!this.fill()) throw new ReplayDivergence(this.index, 'no more choices', kind);
    const recorded = KIND_NAME[this.kind]!;
    if (recorded !== kind) throw new ReplayDivergence(this.index, recorded, kind);
    this.left--;
    this.index++;
    return this.value;
  }

  private fill(): boolean {
    while (this.left === 0) {
      const next = this.runs.next();
      if (next.done === true) return false;
      [this.kind, this.value, this.left] = next.value;
    }
    return true;
  }
}
