/**
 * 'Boosts are balanced': every boost a priority event applies is removed exactly once (after
 * its callback, on cancel, on timeout) or kept on purpose by PEF_Dont_Unboost (SPEC §4, §7).
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

export class BoostBalanceRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['boost', 'dispatch', 'cancel', 'discarded', 'processEnd'];
  /**
   * Handle → its boosts applied and not yet removed, oldest first; `ended` once the event is
   * over (dispatched, cancelled, discarded). Usually one per handle, but with `pooled` handles a
   * callback can schedule a new event on the node its own event just freed, before its own
   * boost comes off: then the ended boost and the new one share the handle.
   */
  private readonly boosts = new Map<number, { ended: boolean }[]>();

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    if (r.k === 'boost' && r.handle !== 0) {
      const list = this.boosts.get(r.handle) ?? [];
      if (r.reason === 'schedule') {
        if (list.some((b) => !b.ended)) report({ ...at, kind: 'boostTwice', handle: r.handle, message: `event 0x${r.handle.toString(16)} boosted twice` });
        list.push({ ended: false });
        this.boosts.set(r.handle, list);
        return;
      }
      // After the callback (removed or kept) it is the ended event's boost; on cancel, discard
      // or timeout, the boost comes off before the event's end is recorded.
      const afterCallback = r.reason === 'callback' || r.reason === 'kept';
      const index = list.findIndex((b) => b.ended === afterCallback);
      if (index < 0) report({ ...at, kind: 'unboostUnbalanced', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} removed without being applied, or twice` });
      else list.splice(index, 1);
      if (list.length === 0) this.boosts.delete(r.handle);
      return;
    }
    const ends = (r.k === 'dispatch' && !r.inline) || (r.k === 'cancel' && r.outcome === 'cancelled') || r.k === 'discarded';
    if (ends) {
      const live = this.boosts.get(r.handle)?.find((b) => !b.ended);
      if (live !== undefined) live.ended = true;
    }
    // A callback's boost comes off right after it returns, inside the same processing pass.
    if (r.k === 'processEnd') this.flush(report, at);
  }

  private flush(report: Report, at: { seq: number; ticks: number }): void {
    for (const [handle, list] of this.boosts) {
      if (!list.some((b) => b.ended)) continue;
      report({ ...at, kind: 'boostNeverRemoved', handle, message: `boost of ended event 0x${handle.toString(16)} never removed` });
      const live = list.filter((b) => !b.ended);
      if (live.length > 0) this.boosts.set(handle, live);
      else this.boosts.delete(handle);
    }
  }

  finish(report: Report): void {
    this.flush(report, { seq: -1, ticks: -1 });
  }
}
