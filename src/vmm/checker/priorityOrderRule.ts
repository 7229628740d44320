/**
 * Which priority event runs first (SPEC §3, §4): an event whose timeout has passed runs before
 * any other priority event ("if the timeout passes before the restrictions are met, the
 * callback is called at once"), and a PEF_Process_Last event only when no other priority event
 * of its VM is eligible ("PEF_Process_Last events are considered on a second pass"); a boost is
 * accepted only within the range.
 */
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';
import { restrictionsHold } from './restrictions.js';
import { HOLDER, type LiveEvent, type LiveEventTable } from './liveEvents.js';

const PEF_PROCESS_LAST = 0x2000;
const RESERVED_LOW_BOOST = 0x00000001;
const RESERVED_HIGH_BOOST = 0x40000000;

export class PriorityOrderRule {
  /**
   * Pending priority events (entries held as HOLDER.pendingPriority, with their VM, flags and
   * deadline), in the order they were scheduled: a list through the entries, oldest first.
   */
  private first: LiveEvent | null = null;
  private last: LiveEvent | null = null;

  constructor(private readonly events: LiveEventTable) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.first = this.last = null;
  }

  scheduled(r: RecordOf<'scheduled'>, report: Report): void {
    if (r.kind !== 'priority') return;
    const e = this.events.find(r.handle);
    // A handle given twice keeps its place in the order and takes the new event's fields.
    const pending = e !== null && (e.holders & HOLDER.pendingPriority) !== 0 ? e : this.append(this.events.hold(r.handle, HOLDER.pendingPriority));
    pending.targetVm = r.targetVm;
    pending.flags = r.flags;
    pending.deadlineTicks = r.deadlineTicks;
    // SPEC §4: "The boost plus the VM's current priority must stay within Reserved_Low_Boost .. Reserved_High_Boost"
    if (r.boost !== 0 && r.state !== null && (r.state.priority + r.boost < RESERVED_LOW_BOOST || r.state.priority + r.boost > RESERVED_HIGH_BOOST)) {
      boostOutOfRangeAccepted(r, r.state.priority, report);
    }
  }

  cancel(r: RecordOf<'cancel'>): void {
    if (r.outcome === 'cancelled') this.remove(r.handle);
  }

  discarded(r: RecordOf<'discarded'>): void {
    this.remove(r.handle);
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (r.kind !== 'priority' || r.inline) return;
    this.remove(r.handle);
    if (!r.timedOut && this.first !== null) this.checkOrder(r, report);
  }

  private checkOrder(r: RecordOf<'dispatch'>, report: Report): void {
    const processLast = (r.flags & PEF_PROCESS_LAST) !== 0;
    for (let other = this.first; other !== null; other = other.nextPending) {
      const expired = other.deadlineTicks >= 0 && r.ticks >= other.deadlineTicks;
      if (expired) {
        report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'timeoutNotFirst', message: `priority event 0x${r.handle.toString(16)} ran while 0x${other.handle.toString(16)} had timed out` });
      } else if (processLast && other.targetVm === r.targetVm && (other.flags & PEF_PROCESS_LAST) === 0 && r.state !== null && restrictionsHold(other.flags, r.state)) {
        report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'processLastFirst', message: `PEF_Process_Last event 0x${r.handle.toString(16)} ran before eligible event 0x${other.handle.toString(16)} of the same VM` });
      }
    }
  }

  private append(e: LiveEvent): LiveEvent {
    e.prevPending = this.last;
    e.nextPending = null;
    if (this.last === null) this.first = e;
    else this.last.nextPending = e;
    this.last = e;
    return e;
  }

  private remove(handle: number): void {
    const e = this.events.find(handle);
    if (e === null || (e.holders & HOLDER.pendingPriority) === 0) return;
    const { prevPending: prev, nextPending: next } = e;
    if (prev === null) this.first = next;
    else prev.nextPending = next;
    if (next === null) this.last = prev;
    else next.prevPending = prev;
    e.prevPending = e.nextPending = null;
    this.events.release(e, HOLDER.pendingPriority);
  }
}

/** Out of line, as the other rules' reports (checker.ts: the inlining budget). */
function boostOutOfRangeAccepted(r: RecordOf<'scheduled'>, priority: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'boostOutOfRangeAccepted', message: `boost ${r.boost} on priority ${priority} accepted, outside Reserved_Low_Boost .. Reserved_High_Boost` });
}
