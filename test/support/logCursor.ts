/**
 * A choice source that answers from a recorded log at a position a test can move: a strategy's
 * own state, as a fork saves and restores it (test/state/fork.test.ts and the blocked-callback
 * fork test).
 */
import type { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import type { ChoiceSource, IrqPoint } from '../../src/vmm/choices.js';

export class LogCursor implements ChoiceSource {
  at = 0;
  constructor(private readonly log: ChoiceLog) {}
  irqArrivals(point: IrqPoint): number {
    return (this.log.values[this.at++] ?? 0) & point.eligibleSources;
  }
  nextGlobalEvent(pending: number): number {
    const v = this.log.values[this.at++] ?? 0;
    return v < pending ? v : 0;
  }
  callNow(): boolean {
    return (this.log.values[this.at++] ?? 1) === 1;
  }
}
