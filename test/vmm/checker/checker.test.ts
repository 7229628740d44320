// The invariant checker (SPEC §7) reads only the history: fed hand-made streams with one
// planted VMM bug each, it must name that bug, as a 'vmm' violation, and nothing else; fed a
// correct stream, nothing at all.
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../../src/vmm/checker/checker.js';
import { PEF } from '../../../src/vmm/constants.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import {
  CSB, H, H2, SNAPSHOT, VM2, begin, boost, calledNow, cancel, check, critical, dispatch, end, eoi, globalRun, irqIn, irqOut, nestedIrq, op, rec, result, ret, scheduled, service, taskSwitch, trap, trapRet, virtEoi, virtInt, virtRequest,
} from './streams.js';

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

  it('a Call_* the VMM refused (a device bug reported inside the call) returns non-zero without calling; never 0 ("ESI = 0 is never the answer of a refused call")', () => {
    const refused = (esi: number) => check([
      service('Call_Priority_VM_Event'),
      rec('violation', { kind: 'reservedFlags', severity: 'device', message: 'x', device: 'dev', handle: 0 }),
      result('Call_Priority_VM_Event', esi),
    ]);
    expect(refused(0xc0000010).violations.map((v) => v.kind)).toEqual(['reservedFlags']);
    expect(refused(0xc0000010).vmmBugs).toBe(0);
    expect(refused(0).violations.map((v) => v.kind)).toEqual(['reservedFlags', 'refusedReturnedZero']);
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
    ['a dispatch inside a hardware-interrupt handler that interrupted a VM', [scheduled(H), irqIn(0), begin(), dispatch(H), ret(H), end(1), eoi(0), irqOut(0)],
      ['dispatchOutsideProcessing', 'processingInInterrupt', 'dispatchInInterrupt']],
    ['a dispatch with the VMM re-entered', nestedIrq(scheduled(H), begin(), dispatch(H), ret(H), end(1)),
      ['dispatchOutsideProcessing', 'processingInInterrupt', 'dispatchInInterrupt']],
    // SPEC §7: "between a Hw_Int_Proc's entry and its return there is no processing pass, no dispatch of a scheduled event and no task switch"
    ['a processing pass (even an empty one) inside a Hw_Int_Proc at re-enter count 0', [irqIn(0), begin(), end(0), eoi(0), irqOut(0)], ['processingInInterrupt']],
    ['nested execution inside a Hw_Int_Proc', [irqIn(0), rec('nestedExec', { phase: 'enter' }), rec('nestedExec', { phase: 'exit' }), eoi(0), irqOut(0)], ['nestedExecInInterrupt']],
    // README, nested execution: "None: the VM keeps the CPU until its nested execution ends"
    ['a task switch while the VM\'s code runs inside Resume_Exec', [trap(), rec('nestedExec', { phase: 'enter' }), begin(), taskSwitch(1, 2, { vm: 2 }), end(0, { vm: 2 }),
      rec('nestedExec', { phase: 'exit' }, { vm: 2 }), trapRet()], ['taskSwitchInNestedExec']],
    // SPEC §6: "An IRQ whose Hw_Int_Proc has not yet called VPICD_Phys_EOI holds back further interrupts from that IRQ only"
    ['a Hw_Int_Proc of an IRQ re-entered before its Phys_EOI', [irqIn(4), irqOut(4), irqIn(4), eoi(4), irqOut(4)], ['irqReenteredBeforeEoi']],
    // VPICD_Physically_Mask "masks the specified IRQ on the hardware PIC": the PIC presents no request of a masked line
    ['an IRQ entered while its line is physically masked', [rec('physMask', { irq: 4, masked: true }), irqIn(4), eoi(4), irqOut(4)], ['irqWhileMasked']],
    // the frames themselves: interrupt entry and exit must nest, and their stamps must agree with them
    ['an interrupt recorded as nested although a VM ran', [irqIn(4, true), eoi(), irqOut()], ['nestedMismatch']],
    ['an interrupt recorded as not nested inside a trap handler', [trap(), irqIn(4, false), eoi(), irqOut(), trapRet()], ['nestedMismatch']],
    ['an interrupt exit with a processing pass still open inside it', [irqIn(4), begin(), eoi(), irqOut(), end(0)], ['unbalancedFrames', 'unbalancedFrames', 'processingInInterrupt']],
    ['client code run inside a Hw_Int_Proc', [irqIn(4), op({ op: 'run', ticks: 1 })], ['clientCodeInRing0']],
    // "Call_* returned 0 exactly when the callback ran inside the call, and only when the rules allow it"
    ['Call_* returning 0 without calling', nestedIrq(service('Call_Global_Event'), result('Call_Global_Event', 0)), ['noDecision', 'zeroWithoutCall']],
    ['Call_* returning 0 although it scheduled', nestedIrq(
      service('Call_Global_Event'), scheduled(H, { service: 'Call_Global_Event' }), result('Call_Global_Event', 0),
    ), ['wrongHandleReturned', 'zeroWithoutCall']],
    ['Call_* returning non-zero although it called', [service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', H)], ['calledNowNonZero']],
    ['Call_Global_Event calling at re-enter count 1', nestedIrq(
      service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0),
    ), ['calledNowReentered']],
    ['Call_Priority_VM_Event scheduling for the current VM with its restrictions met', [
      service('Call_Priority_VM_Event'),
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Wait_For_STI, state: SNAPSHOT }),
      result('Call_Priority_VM_Event', H),
    ], ['shouldHaveCalledNow']],
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
    ['a callback in a VM the task switches do not say is current', [scheduled(H), begin(), dispatch(H, { ebx: VM2 }, { vm: 2 }), ret(H), end(1)], ['currentVmMismatch', 'wrongEbx']],
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
    // SPEC §3: "A priority-event callback that is called because its timeout passed is entered with the carry flag set"
    ['a timed-out priority callback entered with carry clear', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 2, flags: PEF.Time_Out, deadlineTicks: 5 }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 2, timedOut: true, carry: false, flags: PEF.Time_Out, state: SNAPSHOT }), ret(H), end(1),
    ], ['timeoutCarryWrong']],
    ['a priority callback that did not time out entered with carry set', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Always_Sched }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, carry: true, flags: PEF.Always_Sched, state: SNAPSHOT }), ret(H), end(1),
    ], ['timeoutCarryWrong']],
    // SPEC §7: only "callbacks that a Call_XX_Event runs inline" are exempt, derived "not from a context stamp the model writes"
    ['a scheduled event dispatched inside a Hw_Int_Proc, stamped inline', [scheduled(H), irqIn(0), dispatch(H, { inline: true }), ret(H), eoi(0), irqOut(0)], ['inlineWithoutCall']],
    ['a dispatch stamped inline with no Call_* and no calledNow', [begin(), dispatch(0, { inline: true }), ret(0), end(1)], ['inlineWithoutCall']],
    ['a callback a Call_* ran now, under a handle', [
      service('Call_Global_Event'), calledNow(), dispatch(H, { inline: true }), ret(H), result('Call_Global_Event', 0),
    ], ['inlineWithHandle']],
    // "a priority event runs only when its restrictions hold": judged on the VM state the records rebuild, not on the model's snapshot alone
    ['a priority record whose snapshot says interrupts enabled after the VM\'s cli', [
      op({ op: 'cli' }), scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Always_Sched, state: SNAPSHOT }),
    ], ['vmStateMismatch']],
    ['a priority callback whose snapshot says the critical section is free while VM 1 owns it', [
      boost(0, CSB, 'critical', 1), critical('claim', 1, 1),
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Always_Sched, state: { ...SNAPSHOT, critFree: false, priority: CSB } }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, flags: PEF.Always_Sched, state: { ...SNAPSHOT, priority: CSB } }), ret(H), end(1),
    ], ['vmStateMismatch']],
    // "Task switches happen only at scheduler points ..., never inside a hardware-interrupt handler" (SPEC §2)
    ['a task switch in a hardware-interrupt handler', [irqIn(0), taskSwitch(1, 2, { vm: 2 }), eoi(0), irqOut(0)], ['taskSwitchInInterrupt']],
    ['a task switch with the VMM re-entered', nestedIrq(taskSwitch(1, 2, { vm: 2 })), ['taskSwitchInInterrupt']],
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
    // "The boost is ... removed when the callback returns, unless PEF_Dont_Unboost" (SPEC §4)
    ['a boost kept without PEF_Dont_Unboost', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: 16 }), boost(H, 16, 'schedule'),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, state: SNAPSHOT }), ret(H), boost(H, 0, 'kept'), end(1),
    ], ['boostKeptWithoutDontUnboost']],
    ['a boost removed despite PEF_Dont_Unboost', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: 16, flags: PEF.Dont_Unboost }), boost(H, 16, 'schedule'),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, flags: PEF.Dont_Unboost, state: SNAPSHOT }), ret(H), boost(H, -16, 'callback'), end(1),
    ], ['dontUnboostIgnored']],
    ['an immediate call\'s boost kept without PEF_Dont_Unboost', [
      boost(0, 16, 'immediate'), calledNow({ kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1 }),
      dispatch(0, { kind: 'priority', targetVm: 1, state: SNAPSHOT }), ret(0), boost(0, 0, 'immediateKept'),
    ], ['boostKeptWithoutDontUnboost', 'calledNowOutsideCall']],
    ['a boost accepted out of range', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: -16, flags: PEF.Always_Sched, state: SNAPSHOT }),
    ], ['boostOutOfRangeAccepted']],
    // "PEF_Process_Last events are considered on a second pass" (SPEC §3); a timed-out event runs at once (SPEC §4)
    ['a PEF_Process_Last event run before an eligible one of its VM', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Process_Last | PEF.Always_Sched }),
      scheduled(H2, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Always_Sched }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, flags: PEF.Process_Last | PEF.Always_Sched, state: SNAPSHOT }), ret(H), end(1),
    ], ['processLastFirst']],
    ['a priority event run while another has timed out', [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, flags: PEF.Always_Sched }),
      scheduled(H2, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 2, flags: PEF.Time_Out, deadlineTicks: 5 }),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, flags: PEF.Always_Sched, state: SNAPSHOT }), ret(H), end(1),
    ], ['timeoutNotFirst']],
    // SPEC §5: one owner, a claim count, Critical_Section_Boost on the first claim
    ['a claim of a critical section another VM owns', [
      boost(0, CSB, 'critical', 1), critical('claim', 1, 1), taskSwitch(1, 2, { vm: 2 }), critical('claim', 2, 1),
    ], ['criticalTwoOwners', 'criticalNotBoosted']],
    ['a critical section owned without its boost', [critical('claim', 1, 1)], ['criticalNotBoosted']],
    ['a block on a free critical section', [critical('block', 0, 0)], ['criticalBlockedWhenFree']],
    ['a blocked VM running its code', [
      boost(0, CSB, 'critical', 2), taskSwitch(1, 2, { vm: 2 }), critical('claim', 2, 1), taskSwitch(2, 1), critical('block', 2, 1), op({ op: 'run', ticks: 1 }),
    ], ['blockedVmRan']],
    // SPEC §6, VPICD_Set_Int_Request: "The interrupt is not simulated immediately if ..."
    ['a virtual interrupt with no request', [virtInt(3)], ['virtIntNotAllowed']],
    ['a virtual interrupt into a VM with interrupts disabled', [op({ op: 'cli' }), virtRequest(3), virtInt(3)], ['virtIntNotAllowed']],
    ['a virtual interrupt the VM masked', [rec('virtMask', { irq: 3, masked: true, targetVm: 1 }), virtRequest(3), virtInt(3)], ['virtIntNotAllowed']],
    ['a virtual interrupt below one in service', [virtRequest(1), virtInt(1), op({ op: 'sti' }), virtRequest(3), virtInt(3)], ['virtIntNotAllowed']],
    ['a virtual interrupt at interrupt time', [virtRequest(3), irqIn(0), virtInt(3), eoi(0), irqOut(0)], ['virtIntNotAllowed']],
    ['a virtual interrupt into a VM that is not current', [virtRequest(3, 2), virtInt(3, 2)], ['virtIntNotAllowed', 'virtRequestNotBoosted']],
    ['a virtual EOI that ends a lower IRQ than the highest in service', [
      virtRequest(3), virtInt(3), op({ op: 'sti' }), virtRequest(1), virtInt(1), virtEoi(3),
    ], ['virtEoiWrongIrq']],
    // level-triggered: "once a virtual EOI occurs, another interrupt will be simulated immediately unless the virtual interrupt request is cleared"
    ['a request still set after the virtual EOI, left pending while the VM runs', [
      virtRequest(3), virtInt(3), virtEoi(3), op({ op: 'iret' }), op({ op: 'run', ticks: 1 }),
    ], ['virtIntNotSimulated']],
    ['a request into a VM that was not current, simulated without Time_Critical_Boost', [
      virtRequest(3, 2), taskSwitch(1, 2, { vm: 2 }), virtInt(3, 2),
    ], ['virtRequestNotBoosted']],
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

  it('trusts no stamp: records stamped hwint / re-entered / another VM inside a plain processing pass are judged by the frames', () => {
    const lie = { ctx: 'hwint', reenter: 3 } as const;
    const checker = check([
      scheduled(H, {}, lie), begin(lie), dispatch(H, {}, lie), ret(H, lie), end(1, lie), taskSwitch(1, 2, { ...lie, vm: 2 }),
      service('Call_Global_Event', lie), calledNow({}, lie), dispatch(0, { ebx: VM2 }, { ...lie, vm: 2 }), ret(0, lie), result('Call_Global_Event', 0, lie),
    ]);
    expect(checker.violations).toEqual([]);
  });

  it('the correct interrupt patterns are clean: a deferred Phys_EOI, a level-triggered re-simulation, another IRQ nesting before the EOI, an IRQ after its line is unmasked again', () => {
    const checker = check([
      rec('physMask', { irq: 4, masked: true }), rec('physMask', { irq: 4, masked: false }), irqIn(4), eoi(4), irqOut(4),
      irqIn(14), irqOut(14), scheduled(H), begin(), dispatch(H), eoi(14), ret(H), end(1), irqIn(14), eoi(14), irqOut(14),
      trap(), irqIn(4, true), irqIn(0, true), eoi(0), irqOut(0), eoi(4), irqOut(4), trapRet(),
      virtRequest(3), virtInt(3), virtEoi(3), op({ op: 'iret' }), virtInt(3), virtEoi(3), virtRequest(3, 1, false), op({ op: 'iret' }),
      op({ op: 'run', ticks: 1 }),
    ]);
    expect(checker.violations).toEqual([]);
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

  // An outside audit: VM 2 suspended itself, then a global callback run before the task switch
  // claimed the section in it; the system VM then waited on it for good, and nothing said so.
  it('a VM that blocks on a section whose owner is suspended gets a warning (no violation); one whose owner runs does not', () => {
    const suspend2 = rec('vmLifecycle', { op: 'suspend', targetVm: 2 });
    const ownedBy2 = [taskSwitch(1, 2, { vm: 2 }), boost(0, CSB, 'critical', 2), critical('claim', 2, 1), taskSwitch(2, 1)];
    const asleep = check([suspend2, ...ownedBy2, critical('block', 2, 1)]);
    expect(asleep.violations).toEqual([]);
    expect(asleep.warnings.map((w) => [w.kind, w.message])).toEqual([
      ['criticalOwnerSuspended', 'VM 1 waits for the critical section, owned by VM 2, which is suspended (it claimed it while suspended): nothing releases it until VM 2 is resumed'],
    ]);
    expect(check([suspend2, rec('vmLifecycle', { op: 'resume', targetVm: 2 }), ...ownedBy2, critical('block', 2, 1)]).warnings).toEqual([]);
  });

  it('keeps at most keepMax violations but counts them all', () => {
    const checker = new InvariantChecker(3);
    for (let seq = 0; seq < 10; seq++) checker.onRecord({ ...rec('processBegin', {}), ...dispatch(seq + 1), seq, ticks: seq } as HistoryRecord);
    expect(checker.violations).toHaveLength(3);
    expect(checker.vmmBugs).toBeGreaterThanOrEqual(10);
  });
});
