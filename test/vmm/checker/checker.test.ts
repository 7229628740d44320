// The invariant checker (SPEC §7) reads only the history: fed hand-made streams with one
// planted VMM bug each, it must name that bug, as a 'vmm' violation, and nothing else; fed a
// correct stream, nothing at all.
import { describe, expect, it } from 'vitest';
import { ClientRegs } from '../../../src/shared/clientRegs.js';
import { InvariantChecker } from '../../../src/vmm/checker/checker.js';
import { PEF } from '../../../src/vmm/constants.js';
import type { At, HistoryKind, HistoryRecord, RecordOf, VmSnapshot } from '../../../src/vmm/history.js';
import { VmState } from '../../../src/vmm/vm.js';

type Body<K extends HistoryKind> = Omit<RecordOf<K>, 'k' | keyof At>;
type Where = Partial<Omit<At, 'seq'>>;

const VM1 = new VmState(1, ClientRegs.allocate(false)).handle;
const VM2 = new VmState(2, ClientRegs.allocate(false)).handle;

/** A record without its place in the stream (seq is its index; ticks default to 10 × seq). */
function rec<K extends HistoryKind>(k: K, body: Body<K>, where: Where = {}): Partial<HistoryRecord> {
  return { k, vm: 1, ctx: 'vmm', reenter: 0, ...body, ...where } as unknown as Partial<HistoryRecord>;
}

const SNAPSHOT: VmSnapshot = { vif: true, pm: false, nestedExec: false, simulatingHwInt: false, critFree: true, priority: 0 };

const scheduled = (handle: number, over: Partial<Body<'scheduled'>> = {}, where: Where = {}) => rec('scheduled', {
  kind: 'global', service: 'Schedule_Global_Event', handle, callback: 'dev.cb', refData: 0, targetVm: 0, boost: 0,
  flags: 0, deadlineTicks: -1, latitude: false, state: null, ...over,
}, where);
const dispatch = (handle: number, over: Partial<Body<'dispatch'>> = {}, where: Where = {}) => rec('dispatch', {
  kind: 'global', handle, callback: 'dev.cb', refData: 0, targetVm: 0, inline: handle === 0, timedOut: false, ebx: VM1,
  flags: 0, state: null, ...over,
}, where);
const ret = (handle: number, where: Where = {}) => rec('return', { handle, callback: 'dev.cb', clobbered: [] }, where);
const begin = (where: Where = {}) => rec('processBegin', {}, where);
const end = (dispatched: number, where: Where = {}) => rec('processEnd', { dispatched }, where);
const service = (name: Body<'service'>['service'], where: Where = {}) => rec('service', { service: name, device: 'dev' }, where);
const result = (name: Body<'serviceResult'>['service'], esi: number, where: Where = {}) => rec('serviceResult', { service: name, esi }, where);
const calledNow = (over: Partial<Body<'calledNow'>> = {}, where: Where = {}) => rec('calledNow', {
  kind: 'global', service: 'Call_Global_Event', callback: 'dev.cb', refData: 0, targetVm: 0, ...over,
}, where);
const cancel = (handle: number, outcome: Body<'cancel'>['outcome'], kind: Body<'cancel'>['kind'] = 'global') => rec('cancel', {
  kind, handle, outcome, victimKind: outcome === 'cancelled' ? kind : null, victimHandle: handle, device: 'dev', inCallbackOf: 0,
});
const boost = (handle: number, delta: number, reason: string, targetVm = 1) => rec('boost', { targetVm, delta, reason, handle });
const taskSwitch = (from: number, to: number, where: Where = {}) => rec('taskSwitch', { from, to }, where);

/** A scheduled global event run at a processing point: the correct pattern. */
const globalRun = (handle: number) => [scheduled(handle), begin(), dispatch(handle), ret(handle), end(1)];

function check(stream: Partial<HistoryRecord>[]) {
  const checker = new InvariantChecker();
  stream.forEach((r, seq) => checker.onRecord({ ticks: seq * 10, ...r, seq } as HistoryRecord));
  checker.finish();
  return checker;
}

const H = 0x30000;
const H2 = 0x50001;

describe('InvariantChecker', () => {
  it('a correct stream (called now, scheduled and dispatched, cancelled, a priority event with its boost) is clean', () => {
    const checker = check([
      service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0),
      service('Schedule_Global_Event'), scheduled(H), result('Schedule_Global_Event', H),
      begin(), dispatch(H), ret(H), end(1),
      scheduled(H2), cancel(H2, 'cancelled'), cancel(0, 'zero'),
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 2, boost: 16, flags: PEF.Wait_In_PM }),
      boost(H, 16, 'schedule', 2),
      begin(), taskSwitch(1, 2, { vm: 2 }),
      dispatch(H, { kind: 'priority', targetVm: 2, ebx: VM2, flags: PEF.Wait_In_PM, state: { ...SNAPSHOT, pm: true } }, { vm: 2 }),
      ret(H, { vm: 2 }), boost(H, -16, 'callback', 2), end(1, { vm: 2 }),
    ]);
    expect(checker.violations).toEqual([]);
  });

  it('passes on the device bugs the model reported, as device bugs', () => {
    const checker = check([rec('violation', { kind: 'staleCancel', severity: 'device', message: 'x', device: 'dev', handle: H })]);
    expect(checker.violations).toMatchObject([{ kind: 'staleCancel', severity: 'device', device: 'dev' }]);
    expect(checker.deviceBugs).toBe(1);
    expect(checker.vmmBugs).toBe(0);
    expect(checker.invariantsOk).toBe(true);
  });

  it('a Call_* the VMM refused (a device bug reported inside the call) may return 0 without calling', () => {
    const checker = check([
      service('Call_Priority_VM_Event'),
      rec('violation', { kind: 'reservedFlags', severity: 'device', message: 'x', device: 'dev', handle: 0 }),
      result('Call_Priority_VM_Event', 0),
    ]);
    expect(checker.violations.map((v) => v.kind)).toEqual(['reservedFlags']);
    expect(checker.vmmBugs).toBe(0);
  });

  const planted: [string, Partial<HistoryRecord>[], string[]][] = [
    // "every scheduled event is dispatched exactly once or cancelled, never both, never twice"
    ['a dispatch of a handle never scheduled', [begin(), dispatch(H), ret(H), end(1)], ['dispatchNotPending']],
    ['a double dispatch', [...globalRun(H), begin(), dispatch(H), ret(H), end(1)], ['dispatchNotPending']],
    ['a dispatch after a cancel', [scheduled(H), cancel(H, 'cancelled'), begin(), dispatch(H), ret(H), end(1)], ['dispatchNotPending']],
    ['a cancel of an event not pending', [...globalRun(H), cancel(H, 'cancelled')], ['cancelNotPending']],
    ['a cancel that took a live event of another kind', [scheduled(H), cancel(H, 'cancelled', 'vm')], ['cancelWrongKind']],
    ['a pending event refused as stale', [scheduled(H), cancel(H, 'stale')], ['liveCalledStale']],
    ['a discard of an event not pending', [rec('discarded', { kind: 'vm', handle: H, reason: 'vmDestroyed' })], ['discardNotPending']],
    // "handles are non-zero and unique among live events"
    ['a handle given to two live events', [scheduled(H), scheduled(H)], ['duplicateHandle']],
    ['a zero handle', [scheduled(0)], ['zeroHandle']],
    // "scheduled events run only at an event-processing point, never inside a hardware-interrupt handler"
    ['a dispatch outside any processing point', [scheduled(H), dispatch(H), ret(H)], ['dispatchOutsideProcessing']],
    ['a dispatch inside a hardware-interrupt handler', [scheduled(H), begin(), dispatch(H, {}, { ctx: 'hwint' }), ret(H), end(1)], ['dispatchOutsideProcessing']],
    ['a dispatch with the VMM re-entered', [scheduled(H), begin(), dispatch(H, {}, { reenter: 1 }), ret(H), end(1)], ['dispatchOutsideProcessing']],
    // "Call_* returned 0 exactly when the callback ran inside the call, and only when the rules allow it"
    ['Call_* returning 0 without calling', [service('Call_Global_Event', { reenter: 1 }), result('Call_Global_Event', 0, { reenter: 1 })], ['noDecision', 'zeroWithoutCall']],
    ['Call_* returning 0 although it scheduled', [
      service('Call_Global_Event', { reenter: 1 }), scheduled(H, { service: 'Call_Global_Event' }, { reenter: 1 }), result('Call_Global_Event', 0, { reenter: 1 }),
    ], ['wrongHandleReturned', 'zeroWithoutCall']],
    ['Call_* returning non-zero although it called', [service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', H)], ['calledNowNonZero']],
    ['Call_Global_Event calling at re-enter count 1', [
      service('Call_Global_Event', { reenter: 1 }), calledNow({}, { reenter: 1 }), dispatch(0, {}, { reenter: 1 }), ret(0), result('Call_Global_Event', 0, { reenter: 1 }),
    ], ['calledNowReentered']],
    ['Call_Global_Event scheduling at re-enter count 0 without the latitude', [
      service('Call_Global_Event'), scheduled(H, { service: 'Call_Global_Event' }), result('Call_Global_Event', H),
    ], ['shouldHaveCalledNow']],
    ['Call_VM_Event scheduling for the current VM at re-enter count 0', [
      service('Call_VM_Event'), scheduled(H, { kind: 'vm', service: 'Call_VM_Event', targetVm: 1 }), result('Call_VM_Event', H),
    ], ['shouldHaveCalledNow']],
    ['Schedule_* calling now', [service('Schedule_Global_Event'), calledNow({ service: 'Schedule_Global_Event' }), dispatch(0), ret(0), result('Schedule_Global_Event', 0)], ['scheduleCalledNow']],
    ['Call_VM_Event calling another VM\'s callback now', [
      service('Call_VM_Event'), calledNow({ kind: 'vm', service: 'Call_VM_Event', targetVm: 2 }), dispatch(0, { kind: 'vm', targetVm: 2 }), ret(0), result('Call_VM_Event', 0),
    ], ['calledNowOtherVm']],
    ['a callback "called now" that was not run inline', [
      service('Call_Global_Event'), calledNow(), begin(), dispatch(H, { inline: false }), ret(H), end(1), result('Call_Global_Event', 0),
    ], ['calledNowNotInline', 'dispatchNotPending']],
    ['a priority callback called now although PEF_Always_Sched', [
      service('Call_Priority_VM_Event'), calledNow({ kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1 }),
      dispatch(0, { kind: 'priority', targetVm: 1, flags: PEF.Always_Sched, state: SNAPSHOT }), ret(0), result('Call_Priority_VM_Event', 0),
    ], ['calledNowRestricted']],
    ['a calledNow outside any Call_* service', [calledNow(), dispatch(0), ret(0)], ['calledNowOutsideCall']],
    ['a service result with no call open', [result('Call_Global_Event', 0)], ['unmatchedResult']],
    // "a global callback runs in the VM that was current, with no task switch"
    ['a global callback with the wrong EBX', [scheduled(H), begin(), dispatch(H, { ebx: VM2 }), ret(H), end(1)], ['wrongEbx']],
    ['a callback in a VM the task switches do not say is current', [scheduled(H), begin(), dispatch(H, { ebx: VM2 }, { vm: 2 }), ret(H), end(1)], ['currentVmMismatch']],
    // "a VM event runs in its VM"
    ['a VM event in another VM', [
      scheduled(H, { kind: 'vm', targetVm: 2, service: 'Schedule_VM_Event' }), begin(), dispatch(H, { kind: 'vm', targetVm: 2 }), ret(H), end(1),
    ], ['vmEventWrongVm']],
    // "a priority event runs only when its restrictions hold, or with carry set after its timeout"
    ['a priority event with its restrictions unmet', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Wait_In_PM }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, flags: PEF.Wait_In_PM, state: SNAPSHOT }), ret(H), end(1),
    ], ['restrictionsNotMet']],
    ['a priority event (not timed out) in another VM', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 2 }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 2, state: SNAPSHOT }), ret(H), end(1),
    ], ['priorityEventWrongVm']],
    ['a timeout before the deadline', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 2, flags: PEF.Time_Out, deadlineTicks: 1_000_000 }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 2, timedOut: true, flags: PEF.Time_Out, state: SNAPSHOT }), ret(H), end(1),
    ], ['earlyTimeout']],
    // "Task switches happen only at scheduler points ..., never inside a hardware-interrupt handler" (SPEC §2)
    ['a task switch in a hardware-interrupt handler', [taskSwitch(1, 2, { ctx: 'hwint', vm: 2 })], ['taskSwitchInInterrupt']],
    ['a task switch with the VMM re-entered', [taskSwitch(1, 2, { reenter: 1, vm: 2 })], ['taskSwitchInInterrupt']],
    ['a task switch while a callback runs', [scheduled(H), begin(), dispatch(H), taskSwitch(1, 2, { vm: 2 }), ret(H, { vm: 2 }), end(1, { vm: 2 })], ['taskSwitchInCallback']],
    ['a task switch from a VM that was not current', [taskSwitch(2, 3, { vm: 3 })], ['currentVmMismatch']],
    // Seed page: "Any virtual machine can process the event, so the system does not switch tasks before calling the procedure."
    ['a task switch while a global event waits', [
      scheduled(H), begin(), taskSwitch(1, 2, { vm: 2 }), dispatch(H, { ebx: VM2 }, { vm: 2 }), ret(H, { vm: 2 }), end(1, { vm: 2 }),
    ], ['taskSwitchBeforeGlobalEvent']],
    // "The boost is applied when the event is scheduled and removed when the callback returns" (SPEC §4)
    ['a boost removed that was never applied', [boost(H, -16, 'cancel')], ['unboostUnbalanced']],
    ['a boost removed twice', [boost(H, 16, 'schedule'), boost(H, -16, 'cancel'), boost(H, -16, 'cancel')], ['unboostUnbalanced']],
    ['one event boosted twice', [boost(H, 16, 'schedule'), boost(H, 16, 'schedule')], ['boostTwice']],
    ['a boost never removed after its event ran', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: 16 }), boost(H, 16, 'schedule'),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, state: SNAPSHOT }), ret(H), end(1),
    ], ['boostNeverRemoved']],
  ];

  it.each(planted)('catches %s', (_name, stream, kinds) => {
    const checker = check(stream);
    expect(checker.violations.map((v) => v.kind).sort()).toEqual([...kinds].sort());
    expect(checker.violations.every((v) => v.severity === 'vmm')).toBe(true);
    expect(checker.vmmBugs).toBe(kinds.length);
    expect(checker.invariantsOk).toBe(false);
  });

  it('pooled handles: a callback that schedules an event on the node its own event just freed is no double boost', () => {
    const priority = { kind: 'priority' as const, service: 'Call_Priority_VM_Event' as const, targetVm: 1, boost: 16 };
    const ran = { kind: 'priority' as const, targetVm: 1, state: SNAPSHOT };
    const checker = check([
      scheduled(H, priority), boost(H, 16, 'schedule'),
      begin(), dispatch(H, ran),
      scheduled(H, priority), boost(H, 16, 'schedule'), // inside the callback, same node, same handle
      ret(H), boost(H, -16, 'callback'), end(1),
      begin(), dispatch(H, ran), ret(H), boost(H, -16, 'callback'), end(1),
    ]);
    expect(checker.violations).toEqual([]);
  });

  it('a cancel that was refused (wrong service) leaves the event pending, with its timeout', () => {
    const checker = check([
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 2, flags: PEF.Time_Out, deadlineTicks: 20 }),
      cancel(H, 'wrongService', 'vm'),
      begin(), dispatch(H, { kind: 'priority', targetVm: 2, timedOut: true, flags: PEF.Time_Out, state: SNAPSHOT }), ret(H), end(1),
    ]);
    expect(checker.violations).toEqual([]);
  });

  it('keeps at most keepMax violations but counts them all', () => {
    const checker = new InvariantChecker(3);
    for (let seq = 0; seq < 10; seq++) checker.onRecord({ ...rec('processBegin', {}), ...dispatch(seq + 1), seq, ticks: seq } as HistoryRecord);
    expect(checker.violations).toHaveLength(3);
    expect(checker.vmmBugs).toBeGreaterThanOrEqual(10);
  });
});
