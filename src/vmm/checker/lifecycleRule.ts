/**
 * 'Every scheduled event is dispatched exactly once or cancelled, never both, never twice;
 * handles are non-zero and unique among live events.' (SPEC §7)
 */
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';

export class EventLifecycleRule {
  /** Live handle → its kind. */
  private readonly live = new Map<number, string>();

  scheduled(r: RecordOf<'scheduled'>, report: Report): void {
    if (r.handle === 0) report({ seq: r.seq, ticks: r.ticks, kind: 'zeroHandle', message: `${r.service} scheduled an event with handle 0` });
    else if (this.live.has(r.handle)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'duplicateHandle', handle: r.handle, message: `handle 0x${r.handle.toString(16)} given to two live events` });
    }
    this.live.set(r.handle, r.kind);
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (r.inline) return;
    if (!this.live.delete(r.handle)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'dispatchNotPending', handle: r.handle, message: `event 0x${r.handle.toString(16)} dispatched but not pending (twice, or after a cancel)` });
    }
  }

  cancel(r: RecordOf<'cancel'>, report: Report): void {
    if (r.outcome === 'cancelled') {
      const kind = this.live.get(r.handle);
      if (kind === undefined) report({ seq: r.seq, ticks: r.ticks, kind: 'cancelNotPending', handle: r.handle, message: `event 0x${r.handle.toString(16)} cancelled but not pending` });
      else if (kind !== r.kind) report({ seq: r.seq, ticks: r.ticks, kind: 'cancelWrongKind', handle: r.handle, message: `a ${kind} event cancelled as ${r.kind}` });
      this.live.delete(r.handle);
    } else if ((r.outcome === 'stale' || r.outcome === 'invalid') && this.live.has(r.handle)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'liveCalledStale', handle: r.handle, message: `pending event 0x${r.handle.toString(16)} was refused as ${r.outcome}` });
    }
  }

  discarded(r: RecordOf<'discarded'>, report: Report): void {
    if (!this.live.delete(r.handle)) report({ seq: r.seq, ticks: r.ticks, kind: 'discardNotPending', handle: r.handle, message: `discarded event 0x${r.handle.toString(16)} was not pending` });
  }

  get pending(): number {
    return this.live.size;
  }
}
