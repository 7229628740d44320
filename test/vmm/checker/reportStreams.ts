/**
 * One stream per report of the checker's rules that reads a common record kind (the reports
 * kept out of line for the inlining budget, checker.ts): each plants the bug that report names.
 * reports.test.ts holds the violations they give, text included, to the ones the checker gave
 * before its reports moved (SPEC §7 verdicts are part of a run's output).
 */
import { PEF } from '../../../src/vmm/constants.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import {
  H, SNAPSHOT, VM2, begin, calledNow, cancel, dispatch, end, eoi, globalRun, irqIn, irqOut, nestedIrq, rec, result, ret, scheduled, service, trap, trapRet,
} from './streams.js';

const priority = { kind: 'priority', service: 'Call_Priority_VM_Event' } as const;
const refusal = rec('violation', { kind: 'reservedFlags', severity: 'device', message: 'x', device: 'dev', handle: 0 });

export const REPORT_STREAMS = {
  // lifecycleRule.ts
  zeroHandle: [scheduled(0)],
  duplicateHandle: [scheduled(H), scheduled(H)],
  dispatchNotPending: [begin(), dispatch(H), ret(H), end(1)],
  cancelNotPending: [...globalRun(H), cancel(H, 'cancelled')],
  cancelWrongKind: [scheduled(H), cancel(H, 'cancelled', 'vm')],
  liveCalledStale: [scheduled(H), cancel(H, 'invalid')],
  discardNotPending: [rec('discarded', { kind: 'vm', handle: H, reason: 'vmDestroyed' })],
  // callNowRule.ts
  calledNowOutsideCall: [calledNow(), dispatch(0), ret(0)],
  scheduleCalledNow: [service('Schedule_VM_Event'), calledNow({ kind: 'vm', service: 'Schedule_VM_Event', targetVm: 1 }), dispatch(0, { kind: 'vm', targetVm: 1 }), ret(0), result('Schedule_VM_Event', 0)],
  calledNowReentered: nestedIrq(service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0)),
  calledNowOtherVm: [service('Call_VM_Event'), calledNow({ kind: 'vm', service: 'Call_VM_Event', targetVm: 2 }), dispatch(0, { kind: 'vm', targetVm: 2 }), ret(0), result('Call_VM_Event', 0)],
  calledNowNotInline: [service('Call_Global_Event'), calledNow(), begin(), dispatch(H, { inline: false }), ret(H), end(1), result('Call_Global_Event', 0)],
  calledNowRestricted: [
    service('Call_Priority_VM_Event'), calledNow({ ...priority, targetVm: 1 }),
    dispatch(0, { kind: 'priority', targetVm: 1, flags: PEF.Always_Sched, state: SNAPSHOT }), ret(0), result('Call_Priority_VM_Event', 0),
  ],
  shouldHaveCalledNowGlobal: [service('Call_Global_Event'), scheduled(H, { service: 'Call_Global_Event' }), result('Call_Global_Event', H)],
  shouldHaveCalledNowVm: [service('Call_VM_Event'), scheduled(H, { kind: 'vm', service: 'Call_VM_Event', targetVm: 1 }), result('Call_VM_Event', H)],
  shouldHaveCalledNowPriority: [service('Call_Priority_VM_Event'), scheduled(H, { ...priority, targetVm: 1, state: SNAPSHOT }), result('Call_Priority_VM_Event', H)],
  unmatchedResult: [result('Call_Global_Event', 0)],
  calledNowNonZero: [service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0x1234)],
  wrongHandleReturned: [service('Schedule_Global_Event'), scheduled(H), result('Schedule_Global_Event', H + 1)],
  noDecisionAndZero: [service('Schedule_Global_Event'), result('Schedule_Global_Event', 0)],
  refusedReturnedZero: [service('Call_Priority_VM_Event'), refusal, result('Call_Priority_VM_Event', 0)],
  refusedThenCalledNow: [
    service('Call_Global_Event'), refusal, calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0),
  ],
  // dispatchPlaceRule.ts
  currentVmMismatch: [scheduled(H), begin(), dispatch(H, {}, { vm: 2 }), ret(H), end(1)],
  wrongEbx: [scheduled(H), begin(), dispatch(H, { ebx: VM2 }), ret(H), end(1)],
  wrongEbxThenRight: [...globalRun(H), scheduled(H), begin(), dispatch(H, { ebx: VM2 }), ret(H), end(1), ...globalRun(H), scheduled(H), begin(), dispatch(H, { ebx: 0x1234 }), ret(H), end(1)],
  dispatchOutsideProcessing: [scheduled(H), dispatch(H), ret(H)],
  vmEventWrongVm: [scheduled(H, { kind: 'vm', targetVm: 2, service: 'Schedule_VM_Event' }), begin(), dispatch(H, { kind: 'vm', targetVm: 2 }), ret(H), end(1)],
  // interruptRule.ts
  irqReenteredBeforeEoi: [irqIn(4), irqOut(4), irqIn(4), eoi(4), irqOut(4)],
  irqWhileMasked: [rec('physMask', { irq: 4, masked: true }), irqIn(4), eoi(4), irqOut(4)],
  processingInInterrupt: [irqIn(0), begin(), end(0), eoi(0), irqOut(0)],
  dispatchInInterrupt: [scheduled(H), begin(), irqIn(0), dispatch(H), ret(H), eoi(0), irqOut(0), end(1)],
  // cpuTracker.ts
  nestedMismatch: [trap(), irqIn(4, false), eoi(4), irqOut(4), trapRet()],
  unbalancedFrames: [trap(), irqIn(4, true), trapRet(), irqOut(4)],
  // priorityOrderRule.ts
  boostOutOfRangeAccepted: [scheduled(H, { ...priority, targetVm: 1, boost: -16, flags: PEF.Always_Sched, state: SNAPSHOT })],
} satisfies Record<string, Partial<HistoryRecord>[]>;
