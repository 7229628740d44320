/**
 * 'Call_* returned 0 exactly when the callback ran inside the call, and only when the rules
 * above allow it' (SPEC §7, §3): re-enter count 0; for a VM event, its VM current; for a
 * priority event also PEF_Always_Sched clear and the restrictions met. Without the VMM's
 * latitude, a Call_* that the rules allow to run now must run now. The re-enter count and the
 * current VM are derived (CpuTracker).
 */
import type { RecordOf } from '../history.js';
import type { ServiceName } from '../services.js';
import type { Report } from './report.js';
import type { CpuTracker } from './cpuTracker.js';
import { PEF_ALWAYS_SCHED, restrictionsHold } from './restrictions.js';

interface OpenCall {
  service: ServiceName;
  calledNow: boolean;
  handle: number;
  refused: boolean;
}

/** The device bugs for which a Call_/Schedule_ service refuses the call (SPEC §4). */
const REFUSALS: ReadonlySet<string> = new Set(['reservedFlags', 'invalidVmHandle', 'boostOutOfRange', 'eventPoolExhausted']);

/**
 * The Call_/Schedule_ event services. A chain of comparisons rather than a Set: one in five
 * records is a service call, and comparing interned names is cheaper than hashing them.
 */
function isEventService(s: ServiceName): boolean {
  return s === 'Call_Global_Event' || s === 'Schedule_Global_Event' || s === 'Call_VM_Event' || s === 'Schedule_VM_Event' || s === 'Call_Priority_VM_Event';
}

/**
 * `s.startsWith('Call_')`: the three Call_ event services by comparison first, since the
 * optimizing compiler makes `startsWith` a builtin call (measured: the largest line of the
 * checker on the threaded event path, where every event is called now); any other name is
 * asked the long way.
 */
function isCallService(s: string): boolean {
  return s === 'Call_Global_Event' || s === 'Call_VM_Event' || s === 'Call_Priority_VM_Event' || s.startsWith('Call_');
}

export class CallNowRule {
  /** The calls in progress (nested when a callback runs inside a call); frames are reused. */
  private readonly open: OpenCall[] = [];
  private depth = 0;
  /** Set by a `calledNow`, checked on the inline dispatch right after it. */
  private expectInline = false;

  constructor(private readonly cpu: CpuTracker) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.depth = 0;
    this.expectInline = false;
  }

  private top(): OpenCall | undefined {
    return this.depth > 0 ? this.open[this.depth - 1] : undefined;
  }

  service(r: RecordOf<'service'>): void {
    if (!isEventService(r.service)) return;
    const frame = this.open[this.depth];
    if (frame === undefined) this.open[this.depth] = { service: r.service, calledNow: false, handle: 0, refused: false };
    else {
      frame.service = r.service;
      frame.calledNow = false;
      frame.handle = 0;
      frame.refused = false;
    }
    this.depth++;
  }

  /** A refusal: the call reports why and neither runs nor schedules the callback. */
  violation(r: RecordOf<'violation'>): void {
    const top = this.top();
    if (top !== undefined && !top.calledNow && top.handle === 0 && REFUSALS.has(r.kind)) top.refused = true;
  }

  calledNow(r: RecordOf<'calledNow'>, report: Report): void {
    // The dispatch that follows is this calledNow's, whether or not a Call_* is open.
    this.expectInline = true;
    const top = this.top();
    if (top === undefined) return calledNowOutsideCall(r, report);
    top.calledNow = true;
    if (!isCallService(r.service)) scheduleCalledNow(r, report);
    const reenter = this.cpu.reenter;
    if (reenter !== 0) calledNowReentered(r, reenter, report);
    if (r.kind !== 'global' && r.targetVm !== this.cpu.current) calledNowOtherVm(r, this.cpu.current, report);
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    // A dispatch is inline because a Call_* in progress ran its callback now (its calledNow
    // record), never on the model's own `inline` word alone, which the other rules trust (SPEC
    // §7: derived "not from a context stamp the model writes").
    if (!this.expectInline) {
      if (r.inline) inlineWithoutCall(r, report);
      return;
    }
    this.expectInline = false;
    if (r.inline && r.handle !== 0) inlineWithHandle(r, report);
    if (!r.inline) calledNowNotInline(r, report);
    if (r.kind === 'priority' && ((r.flags & PEF_ALWAYS_SCHED) !== 0 || r.state === null || !restrictionsHold(r.flags, r.state))) calledNowRestricted(r, report);
  }

  scheduled(r: RecordOf<'scheduled'>, report: Report): void {
    const top = this.top();
    if (top !== undefined) top.handle = r.handle;
    if (r.latitude) return;
    if (this.cpu.reenter !== 0) return;
    const service = r.service;
    if (service === 'Call_Global_Event') shouldHaveCalledNow(r, 'Call_Global_Event scheduled with re-enter count 0 (without the latitude option)', report);
    if (service === 'Call_VM_Event' && r.targetVm === this.cpu.current) {
      shouldHaveCalledNow(r, 'Call_VM_Event scheduled for the current VM with re-enter count 0 (without the latitude option)', report);
    }
    // "runs the callback now when re-enter count 0, EBX current, PEF_Always_Sched clear, restrictions met" (SPEC §3)
    if (service === 'Call_Priority_VM_Event' && r.targetVm === this.cpu.current && (r.flags & PEF_ALWAYS_SCHED) === 0 && r.state !== null && restrictionsHold(r.flags, r.state, r.boost)) {
      shouldHaveCalledNow(r, 'Call_Priority_VM_Event scheduled for the current VM with its restrictions met and PEF_Always_Sched clear (without the latitude option)', report);
    }
  }

  serviceResult(r: RecordOf<'serviceResult'>, report: Report): void {
    const call = this.depth > 0 ? this.open[--this.depth] : undefined;
    if (call === undefined || call.service !== r.service) return unmatchedResult(r, report);
    const esi = r.esi;
    if (call.calledNow && esi !== 0) calledNowNonZero(r, report);
    if (!call.calledNow && call.handle !== 0 && esi !== call.handle) wrongHandleReturned(r, report);
    if (!call.calledNow && call.handle === 0 && !call.refused) noDecision(r, report);
    if (!call.calledNow && esi === 0 && !call.refused) zeroWithoutCall(r, report);
    // SPEC §4: "ESI = 0 is never the answer of a refused call"
    if (call.refused && esi === 0) refusedReturnedZero(r, report);
  }
}

// The reports, out of line: a report's object and message are most of a rule's bytecode, and
// the compiler inlines a rule's method only while the caller's inlined bytecode stays within
// its budget (checker.ts), so the checks stay inline and the reports are calls.

function calledNowOutsideCall(r: RecordOf<'calledNow'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'calledNowOutsideCall', message: 'a callback was called now outside any Call_* service' });
}

function scheduleCalledNow(r: RecordOf<'calledNow'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'scheduleCalledNow', message: `${r.service} ran its callback at once; it must always schedule` });
}

function calledNowReentered(r: RecordOf<'calledNow'>, reenter: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'calledNowReentered', message: `${r.service} ran its callback at once with re-enter count ${reenter}` });
}

function calledNowOtherVm(r: RecordOf<'calledNow'>, current: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'calledNowOtherVm', message: `${r.service} ran VM ${r.targetVm}'s callback at once while VM ${current} was current` });
}

function calledNowNotInline(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'calledNowNotInline', message: 'a callback called now was not run inside the call' });
}

function inlineWithoutCall(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'inlineWithoutCall', handle: r.handle, message: `${r.callback} ran as called inside a Call_* service, but no Call_* ran it now` });
}

function inlineWithHandle(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'inlineWithHandle', handle: r.handle, message: `${r.callback}, called now by a Call_* service, ran under handle 0x${r.handle.toString(16)}: a callback called now has no event` });
}

function calledNowRestricted(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'calledNowRestricted', message: 'a priority callback ran at once although PEF_Always_Sched or its restrictions forbade it' });
}

function shouldHaveCalledNow(r: RecordOf<'scheduled'>, message: string, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'shouldHaveCalledNow', message });
}

function unmatchedResult(r: RecordOf<'serviceResult'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'unmatchedResult', message: `${r.service} returned outside its call` });
}

function calledNowNonZero(r: RecordOf<'serviceResult'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'calledNowNonZero', message: `${r.service} ran the callback but returned ESI = 0x${r.esi.toString(16)}` });
}

function wrongHandleReturned(r: RecordOf<'serviceResult'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'wrongHandleReturned', message: `${r.service} returned 0x${r.esi.toString(16)}, not its handle` });
}

function noDecision(r: RecordOf<'serviceResult'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'noDecision', message: `${r.service} neither ran nor scheduled the callback` });
}

function zeroWithoutCall(r: RecordOf<'serviceResult'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'zeroWithoutCall', message: `${r.service} returned 0 without running the callback` });
}

function refusedReturnedZero(r: RecordOf<'serviceResult'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'refusedReturnedZero', message: `${r.service} refused the call but returned ESI = 0 ("the callback already ran")` });
}
