/**
 * 'Every scheduled event is dispatched exactly once or cancelled, never both, never twice;
 * handles are non-zero and unique among live events.' (SPEC §7)
 */
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';
import { HOLDER, type LiveEventTable } from './liveEvents.js';

export class EventLifecycleRule {
  /** Live events: entries this rule holds (HOLDER.live), each with its kind. */
  constructor(private readonly events: LiveEventTable) {}

  scheduled(r: RecordOf<'scheduled'>, report: Report): void {
    if (r.handle === 0) zeroHandle(r, report);
    else if (this.events.holds(r.handle, HOLDER.live)) duplicateHandle(r, report);
    this.events.hold(r.handle, HOLDER.live).kind = r.kind;
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (r.inline) return;
    if (!this.end(r.handle)) dispatchNotPending(r, report);
  }

  cancel(r: RecordOf<'cancel'>, report: Report): void {
    if (r.outcome === 'cancelled') {
      const e = this.events.find(r.handle);
      if (e === null || (e.holders & HOLDER.live) === 0) return cancelNotPending(r, report);
      if (e.kind !== r.kind) cancelWrongKind(r, e.kind, report);
      this.events.release(e, HOLDER.live);
    } else if ((r.outcome === 'stale' || r.outcome === 'invalid') && this.events.holds(r.handle, HOLDER.live)) {
      liveCalledStale(r, report);
    }
  }

  discarded(r: RecordOf<'discarded'>, report: Report): void {
    if (!this.end(r.handle)) discardNotPending(r, report);
  }

  /** The live event of `handle` is over; false if there was none. */
  private end(handle: number): boolean {
    const e = this.events.find(handle);
    if (e === null || (e.holders & HOLDER.live) === 0) return false;
    this.events.release(e, HOLDER.live);
    return true;
  }
}

// The reports, out of line: a report's object and message are most of a rule's bytecode, and
// the compiler inlines a rule's method only while the caller's inlined bytecode stays within
// its budget (checker.ts), so the checks stay inline and the reports are calls.

function zeroHandle(r: RecordOf<'scheduled'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'zeroHandle', message: `${r.service} scheduled an event with handle 0` });
}

function duplicateHandle(r: RecordOf<'scheduled'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'duplicateHandle', handle: r.handle, message: `handle 0x${r.handle.toString(16)} given to two live events` });
}

function dispatchNotPending(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'dispatchNotPending', handle: r.handle, message: `event 0x${r.handle.toString(16)} dispatched but not pending (twice, or after a cancel)` });
}

function cancelNotPending(r: RecordOf<'cancel'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'cancelNotPending', handle: r.handle, message: `event 0x${r.handle.toString(16)} cancelled but not pending` });
}

function cancelWrongKind(r: RecordOf<'cancel'>, liveKind: string, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'cancelWrongKind', handle: r.handle, message: `a ${liveKind} event cancelled as ${r.kind}` });
}

function liveCalledStale(r: RecordOf<'cancel'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'liveCalledStale', handle: r.handle, message: `pending event 0x${r.handle.toString(16)} was refused as ${r.outcome}` });
}

function discardNotPending(r: RecordOf<'discarded'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'discardNotPending', handle: r.handle, message: `discarded event 0x${r.handle.toString(16)} was not pending` });
}
