/**
 * Which priority event runs first (SPEC §3, §4): an event whose timeout has passed runs before
 * any other priority event ("if the timeout passes before the restrictions are met, the
 * callback is called at once"), and a PEF_Process_Last event only when no other priority event
 * of its VM is eligible ("PEF_Process_Last events are considered on a second pass"); a boost is
 * accepted only within the range.
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';
import { restrictionsHold } from './restrictions.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

const PEF_PROCESS_LAST = 0x2000;
const RESERVED_LOW_BOOST = 0x00000001;
const RESERVED_HIGH_BOOST = 0x40000000;

interface Pending {
  vm: number;
  flags: number;
  deadlineTicks: number;
}

export class PriorityOrderRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['scheduled', 'dispatch', 'cancel', 'discarded'];
  private readonly pending = new Map<number, Pending>();

  onRecord(r: HistoryRecord, report: Report): void {
    switch (r.k) {
      case 'scheduled':
        if (r.kind !== 'priority') return;
        this.pending.set(r.handle, { vm: r.targetVm, flags: r.flags, deadlineTicks: r.deadlineTicks });
        // SPEC §4: "The boost plus the VM's current priority must stay within Reserved_Low_Boost .. Reserved_High_Boost"
        if (r.boost !== 0 && r.state !== null && (r.state.priority + r.boost < RESERVED_LOW_BOOST || r.state.priority + r.boost > RESERVED_HIGH_BOOST)) {
          report({ seq: r.seq, ticks: r.ticks, handle: r.handle, kind: 'boostOutOfRangeAccepted', message: `boost ${r.boost} on priority ${r.state.priority} accepted, outside Reserved_Low_Boost .. Reserved_High_Boost` });
        }
        return;
      case 'cancel':
        if (r.outcome === 'cancelled') this.pending.delete(r.handle);
        return;
      case 'discarded':
        this.pending.delete(r.handle);
        return;
      case 'dispatch':
        if (r.kind !== 'priority' || r.inline) return;
        this.pending.delete(r.handle);
        if (!r.timedOut) this.checkOrder(r, report);
        return;
      default:
        return;
    }
  }

  private checkOrder(r: Extract<HistoryRecord, { k: 'dispatch' }>, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks, handle: r.handle };
    for (const [handle, other] of this.pending) {
      const expired = other.deadlineTicks >= 0 && r.ticks >= other.deadlineTicks;
      if (expired) {
        report({ ...at, kind: 'timeoutNotFirst', message: `priority event 0x${r.handle.toString(16)} ran while 0x${handle.toString(16)} had timed out` });
      } else if ((r.flags & PEF_PROCESS_LAST) !== 0 && other.vm === r.targetVm && (other.flags & PEF_PROCESS_LAST) === 0 && r.state !== null && restrictionsHold(other.flags, r.state)) {
        report({ ...at, kind: 'processLastFirst', message: `PEF_Process_Last event 0x${r.handle.toString(16)} ran before eligible event 0x${handle.toString(16)} of the same VM` });
      }
    }
  }
}
