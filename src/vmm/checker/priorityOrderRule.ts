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

const PEF_PROCESS_LAST = 0x2000;
const RESERVED_LOW_BOOST = 0x00000001;
const RESERVED_HIGH_BOOST = 0x40000000;

interface Pending {
  handle: number;
  vm: number;
  flags: number;
  deadlineTicks: number;
}

export class PriorityOrderRule {
  /** Pending priority events by handle, in the order they were scheduled. */
  private readonly pending = new Map<number, Pending>();

  scheduled(r: RecordOf<'scheduled'>, report: Report): void {
    if (r.kind !== 'priority') return;
    this.pending.set(r.handle, { handle: r.handle, vm: r.targetVm, flags: r.flags, deadlineTicks: r.deadlineTicks });
    // SPEC §4: "The boost plus the VM's current priority must stay within Reserved_Low_Boost .. Reserved_High_Boost"
    if (r.boost !== 0 && r.state !== null && (r.state.priority + r.boost < RESERVED_LOW_BOOST || r.state.priority + r.boost > RESERVED_HIGH_BOOST)) {
      report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'boostOutOfRangeAccepted', message: `boost ${r.boost} on priority ${r.state.priority} accepted, outside Reserved_Low_Boost .. Reserved_High_Boost` });
    }
  }

  cancel(r: RecordOf<'cancel'>): void {
    if (r.outcome === 'cancelled') this.pending.delete(r.handle);
  }

  discarded(r: RecordOf<'discarded'>): void {
    this.pending.delete(r.handle);
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (r.kind !== 'priority' || r.inline) return;
    this.pending.delete(r.handle);
    if (!r.timedOut && this.pending.size > 0) this.checkOrder(r, report);
  }

  private checkOrder(r: RecordOf<'dispatch'>, report: Report): void {
    const processLast = (r.flags & PEF_PROCESS_LAST) !== 0;
    for (const other of this.pending.values()) {
      const expired = other.deadlineTicks >= 0 && r.ticks >= other.deadlineTicks;
      if (expired) {
        report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'timeoutNotFirst', message: `priority event 0x${r.handle.toString(16)} ran while 0x${other.handle.toString(16)} had timed out` });
      } else if (processLast && other.vm === r.targetVm && (other.flags & PEF_PROCESS_LAST) === 0 && r.state !== null && restrictionsHold(other.flags, r.state)) {
        report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'processLastFirst', message: `PEF_Process_Last event 0x${r.handle.toString(16)} ran before eligible event 0x${other.handle.toString(16)} of the same VM` });
      }
    }
  }
}
