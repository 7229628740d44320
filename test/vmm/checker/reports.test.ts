// SPEC §7: 'A **VMM bug** is the simulator breaking this page: it must never happen, and every
// test run checks for it.' What the checker says of one is a run's output (the report, the
// replay command's verdict), so each report's violation is held here whole, text included: the
// values are the ones the checker gave before its reports moved out of the rules' hot methods
// (checker.ts), so a change of wording or order is a decision, never an accident of a speed-up.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Violation } from '../../../src/vmm/checker/checker.js';
import { SERVICES, type ServiceName } from '../../../src/vmm/services.js';
import { calledNow, check, dispatch, ret, service } from './streams.js';
import { REPORT_STREAMS } from './reportStreams.js';

const EXPECTED: Record<keyof typeof REPORT_STREAMS, Violation[]> = {
  zeroHandle: [
    { kind: 'zeroHandle', severity: 'vmm', seq: 0, ticks: 0, message: 'Schedule_Global_Event scheduled an event with handle 0' },
  ],
  duplicateHandle: [
    { kind: 'duplicateHandle', severity: 'vmm', seq: 1, ticks: 10, handle: 0x30000, message: 'handle 0x30000 given to two live events' },
  ],
  dispatchNotPending: [
    { kind: 'dispatchNotPending', severity: 'vmm', seq: 1, ticks: 10, handle: 0x30000, message: 'event 0x30000 dispatched but not pending (twice, or after a cancel)' },
  ],
  cancelNotPending: [
    { kind: 'cancelNotPending', severity: 'vmm', seq: 5, ticks: 50, handle: 0x30000, message: 'event 0x30000 cancelled but not pending' },
  ],
  cancelWrongKind: [
    { kind: 'cancelWrongKind', severity: 'vmm', seq: 1, ticks: 10, handle: 0x30000, message: 'a global event cancelled as vm' },
  ],
  liveCalledStale: [
    { kind: 'liveCalledStale', severity: 'vmm', seq: 1, ticks: 10, handle: 0x30000, message: 'pending event 0x30000 was refused as invalid' },
  ],
  discardNotPending: [
    { kind: 'discardNotPending', severity: 'vmm', seq: 0, ticks: 0, handle: 0x30000, message: 'discarded event 0x30000 was not pending' },
  ],
  calledNowOutsideCall: [
    { kind: 'calledNowOutsideCall', severity: 'vmm', seq: 0, ticks: 0, message: 'a callback was called now outside any Call_* service' },
  ],
  scheduleCalledNow: [
    { kind: 'scheduleCalledNow', severity: 'vmm', seq: 1, ticks: 10, message: 'Schedule_VM_Event ran its callback at once; it must always schedule' },
  ],
  calledNowReentered: [
    { kind: 'calledNowReentered', severity: 'vmm', seq: 3, ticks: 30, message: 'Call_Global_Event ran its callback at once with re-enter count 1' },
  ],
  calledNowOtherVm: [
    { kind: 'calledNowOtherVm', severity: 'vmm', seq: 1, ticks: 10, message: "Call_VM_Event ran VM 2's callback at once while VM 1 was current" },
  ],
  calledNowNotInline: [
    { kind: 'dispatchNotPending', severity: 'vmm', seq: 3, ticks: 30, handle: 0x30000, message: 'event 0x30000 dispatched but not pending (twice, or after a cancel)' },
    { kind: 'calledNowNotInline', severity: 'vmm', seq: 3, ticks: 30, message: 'a callback called now was not run inside the call' },
  ],
  calledNowRestricted: [
    { kind: 'calledNowRestricted', severity: 'vmm', seq: 2, ticks: 20, message: 'a priority callback ran at once although PEF_Always_Sched or its restrictions forbade it' },
  ],
  shouldHaveCalledNowGlobal: [
    { kind: 'shouldHaveCalledNow', severity: 'vmm', seq: 1, ticks: 10, message: 'Call_Global_Event scheduled with re-enter count 0 (without the latitude option)' },
  ],
  shouldHaveCalledNowVm: [
    { kind: 'shouldHaveCalledNow', severity: 'vmm', seq: 1, ticks: 10, message: 'Call_VM_Event scheduled for the current VM with re-enter count 0 (without the latitude option)' },
  ],
  shouldHaveCalledNowPriority: [
    { kind: 'shouldHaveCalledNow', severity: 'vmm', seq: 1, ticks: 10, message: 'Call_Priority_VM_Event scheduled for the current VM with its restrictions met and PEF_Always_Sched clear (without the latitude option)' },
  ],
  unmatchedResult: [
    { kind: 'unmatchedResult', severity: 'vmm', seq: 0, ticks: 0, message: 'Call_Global_Event returned outside its call' },
  ],
  calledNowNonZero: [
    { kind: 'calledNowNonZero', severity: 'vmm', seq: 4, ticks: 40, message: 'Call_Global_Event ran the callback but returned ESI = 0x1234' },
  ],
  wrongHandleReturned: [
    { kind: 'wrongHandleReturned', severity: 'vmm', seq: 2, ticks: 20, message: 'Schedule_Global_Event returned 0x30001, not its handle' },
  ],
  noDecisionAndZero: [
    { kind: 'noDecision', severity: 'vmm', seq: 1, ticks: 10, message: 'Schedule_Global_Event neither ran nor scheduled the callback' },
    { kind: 'zeroWithoutCall', severity: 'vmm', seq: 1, ticks: 10, message: 'Schedule_Global_Event returned 0 without running the callback' },
  ],
  refusedReturnedZero: [
    { kind: 'reservedFlags', severity: 'device', seq: 1, ticks: 10, device: 'dev', handle: 0, message: 'x' },
    { kind: 'refusedReturnedZero', severity: 'vmm', seq: 2, ticks: 20, message: 'Call_Priority_VM_Event refused the call but returned ESI = 0 ("the callback already ran")' },
  ],
  refusedThenCalledNow: [
    { kind: 'reservedFlags', severity: 'device', seq: 1, ticks: 10, device: 'dev', handle: 0, message: 'x' },
    { kind: 'refusedReturnedZero', severity: 'vmm', seq: 5, ticks: 50, message: 'Call_Global_Event refused the call but returned ESI = 0 ("the callback already ran")' },
  ],
  currentVmMismatch: [
    { kind: 'currentVmMismatch', severity: 'vmm', seq: 2, ticks: 20, message: 'callback ran with VM 2 current; the task switches say VM 1' },
  ],
  wrongEbx: [
    { kind: 'wrongEbx', severity: 'vmm', seq: 2, ticks: 20, message: 'dev.cb got EBX = 0x80462000, not the current VM' },
  ],
  wrongEbxThenRight: [
    { kind: 'wrongEbx', severity: 'vmm', seq: 7, ticks: 70, message: 'dev.cb got EBX = 0x80462000, not the current VM' },
    { kind: 'wrongEbx', severity: 'vmm', seq: 17, ticks: 170, message: 'dev.cb got EBX = 0x1234, not the current VM' },
  ],
  dispatchOutsideProcessing: [
    { kind: 'dispatchOutsideProcessing', severity: 'vmm', seq: 1, ticks: 10, handle: 0x30000, message: 'dev.cb (0x30000) ran outside an event-processing point' },
  ],
  vmEventWrongVm: [
    { kind: 'vmEventWrongVm', severity: 'vmm', seq: 2, ticks: 20, handle: 0x30000, message: 'VM event of VM 2 ran in VM 1' },
  ],
  irqReenteredBeforeEoi: [
    { kind: 'irqReenteredBeforeEoi', severity: 'vmm', seq: 2, ticks: 20, message: 'IRQ 4 interrupted again before its VPICD_Phys_EOI' },
  ],
  irqWhileMasked: [
    { kind: 'irqWhileMasked', severity: 'vmm', seq: 1, ticks: 10, message: 'IRQ 4 entered while masked on the physical PIC (VPICD_Physically_Mask)' },
  ],
  processingInInterrupt: [
    { kind: 'processingInInterrupt', severity: 'vmm', seq: 1, ticks: 10, message: 'an event-processing pass began inside a hardware-interrupt handler' },
  ],
  dispatchInInterrupt: [
    { kind: 'nestedMismatch', severity: 'vmm', seq: 2, ticks: 20, message: 'IRQ 0 recorded as not nested, but ring-0 code was running' },
    { kind: 'dispatchOutsideProcessing', severity: 'vmm', seq: 3, ticks: 30, handle: 0x30000, message: 'dev.cb (0x30000) ran outside an event-processing point' },
    { kind: 'dispatchInInterrupt', severity: 'vmm', seq: 3, ticks: 30, handle: 0x30000, message: 'scheduled event dev.cb (0x30000) dispatched inside a Hw_Int_Proc' },
  ],
  nestedMismatch: [
    { kind: 'nestedMismatch', severity: 'vmm', seq: 1, ticks: 10, message: 'IRQ 4 recorded as not nested, but ring-0 code was running' },
  ],
  unbalancedFrames: [
    { kind: 'unbalancedFrames', severity: 'vmm', seq: 2, ticks: 20, message: 'trapReturn closed a trap frame while a hwint frame inside it was still open' },
    { kind: 'unbalancedFrames', severity: 'vmm', seq: 3, ticks: 30, message: 'irqExit closed a hwint frame that was never opened' },
  ],
  boostOutOfRangeAccepted: [
    { kind: 'boostOutOfRangeAccepted', severity: 'vmm', seq: 0, ticks: 0, handle: 0x30000, message: 'boost -16 on priority 0 accepted, outside Reserved_Low_Boost .. Reserved_High_Boost' },
  ],
};

describe("the checker's reports", () => {
  it('cover every stream of reportStreams.ts', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(REPORT_STREAMS).sort());
  });

  const names = Object.keys(REPORT_STREAMS) as (keyof typeof REPORT_STREAMS)[];
  it.each(names)('%s: the violations, in order, with their severity, place and text', (name) => {
    expect(check(REPORT_STREAMS[name]).violations).toEqual(EXPECTED[name]);
  });
});

describe('calling now from a Schedule_ service', () => {
  // SPEC §3: the Schedule_ services always schedule; only a Call_ service may run the callback inside the call.
  const names = fc.oneof(
    fc.constantFrom(...(Object.keys(SERVICES) as ServiceName[])),
    fc.constantFrom('Call_', 'Call', 'Cal_Global_Event', 'call_Global_Event', 'CallGlobal_Event', 'Call_X', ''),
    fc.string({ maxLength: 12 }).map((tail) => `Call_${tail}`),
    fc.string({ maxLength: 24 }),
  );

  it('is reported exactly when the service\'s name does not start with Call_, whatever the name', () => {
    fc.assert(
      fc.property(names, (name) => {
        const stream = [service('Call_Global_Event'), calledNow({ service: name as ServiceName }), dispatch(0), ret(0)];
        const kinds = check(stream).violations.map((v) => v.kind);
        expect(kinds.includes('scheduleCalledNow')).toBe(!name.startsWith('Call_'));
      }),
      { seed: 15, numRuns: 500 },
    );
  });
});
