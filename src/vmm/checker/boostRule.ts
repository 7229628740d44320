/**
 * "Boosts are balanced": every boost a priority event applies is removed exactly once (after
 * its callback, on cancel, on timeout) or kept on purpose by PEF_Dont_Unboost (SPEC §4, §7).
 */
import type { HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

export class BoostBalanceRule implements Rule {
  /** Handles whose boost is applied and not yet removed. */
  private readonly boosted = new Set<number>();
  /** Of those, the ones whose event has ended (dispatched, cancelled, discarded). */
  private readonly ended = new Set<number>();

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    if (r.k === 'boost' && r.handle !== 0) {
      if (r.reason === 'schedule') {
        if (this.boosted.has(r.handle)) report({ ...at, kind: 'boostTwice', handle: r.handle, message: `event 0x${r.handle.toString(16)} boosted twice` });
        this.boosted.add(r.handle);
      } else {
        if (!this.boosted.delete(r.handle)) report({ ...at, kind: 'unboostUnbalanced', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} removed without being applied, or twice` });
        this.ended.delete(r.handle);
      }
      return;
    }
    const ends = (r.k === 'dispatch' && !r.inline) || (r.k === 'cancel' && r.outcome === 'cancelled') || r.k === 'discarded';
    if (ends && this.boosted.has(r.handle)) this.ended.add(r.handle);
    // A callback's boost comes off right after it returns, inside the same processing pass.
    if (r.k === 'processEnd') this.flush(report, at);
  }

  private flush(report: Report, at: { seq: number; ticks: number }): void {
    for (const handle of this.ended) report({ ...at, kind: 'boostNeverRemoved', handle, message: `boost of ended event 0x${handle.toString(16)} never removed` });
    this.ended.clear();
  }

  finish(report: Report): void {
    this.flush(report, { seq: -1, ticks: -1 });
  }
}
