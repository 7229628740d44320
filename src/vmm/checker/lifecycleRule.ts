/**
 * 'Every scheduled event is dispatched exactly once or cancelled, never both, never twice;
 * handles are non-zero and unique among live events.' (SPEC §7)
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

export class EventLifecycleRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['scheduled', 'dispatch', 'cancel', 'discarded'];
  /** Live handle → its kind. */
  private readonly live = new Map<number, string>();

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    switch (r.k) {
      case 'scheduled':
        if (r.handle === 0) report({ ...at, kind: 'zeroHandle', message: `${r.service} scheduled an event with handle 0` });
        else if (this.live.has(r.handle)) {
          report({ ...at, kind: 'duplicateHandle', handle: r.handle, message: `handle 0x${r.handle.toString(16)} given to two live events` });
        }
        this.live.set(r.handle, r.kind);
        return;
      case 'dispatch':
        if (r.inline) return;
        if (!this.live.delete(r.handle)) {
          report({ ...at, kind: 'dispatchNotPending', handle: r.handle, message: `event 0x${r.handle.toString(16)} dispatched but not pending (twice, or after a cancel)` });
        }
        return;
      case 'cancel':
        if (r.outcome === 'cancelled') {
          const kind = this.live.get(r.handle);
          if (kind === undefined) report({ ...at, kind: 'cancelNotPending', handle: r.handle, message: `event 0x${r.handle.toString(16)} cancelled but not pending` });
          else if (kind !== r.kind) report({ ...at, kind: 'cancelWrongKind', handle: r.handle, message: `a ${kind} event cancelled as ${r.kind}` });
          this.live.delete(r.handle);
        } else if ((r.outcome === 'stale' || r.outcome === 'invalid') && this.live.has(r.handle)) {
          report({ ...at, kind: 'liveCalledStale', handle: r.handle, message: `pending event 0x${r.handle.toString(16)} was refused as ${r.outcome}` });
        }
        return;
      case 'discarded':
        if (!this.live.delete(r.handle)) report({ ...at, kind: 'discardNotPending', handle: r.handle, message: `discarded event 0x${r.handle.toString(16)} was not pending` });
        return;
      default:
        return;
    }
  }

  get pending(): number {
    return this.live.size;
  }
}
