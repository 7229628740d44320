// SPEC §6: "A request into a VM that is not current boosts it (Time_Critical_Boost: "VPICD uses
// this when simulating hardware interrupts")": the boost lasts while VPICD simulates the
// interrupt, and comes off as soon as the VM is out of every simulated interrupt (its return or
// IRET time-out), or when the request is cleared before it was simulated.
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import { boost, check, op, rec, taskSwitch, virtEoi, virtInt, virtRequest } from './streams.js';

const TCB = 0x00400000;
const iret = (timedOut = false) => rec('virtIret', { irq: 3, targetVm: 2, timedOut });
const unboost = boost(0, -TCB, 'virtInt', 2);

/** VM 1 requests IRQ 3 into VM 2 (boosted), VM 2 runs and takes it, EOIs it and clears the request. */
const simulated: Partial<HistoryRecord>[] = [
  virtRequest(3, 2), boost(0, TCB, 'virtInt', 2), taskSwitch(1, 2, { vm: 2 }),
  virtInt(3, 2), virtEoi(3, 2), virtRequest(3, 2, false),
];
const kinds = (stream: Partial<HistoryRecord>[]): string[] => check(stream).violations.map((v) => v.kind);

describe('Time_Critical_Boost ends with the simulated interrupt', () => {
  it('removed right after the VM returns from the interrupt: clean', () => {
    expect(kinds([...simulated, op({ op: 'iret' }), iret(), unboost, op({ op: 'run', ticks: 1 })])).toEqual([]);
  });

  it('kept after the VM returned from its last simulated interrupt: a VMM bug', () => {
    expect(kinds([...simulated, op({ op: 'iret' }), iret(), op({ op: 'run', ticks: 1 })])).toEqual(['virtBoostNotRemoved']);
  });

  it('kept after the IRET time-out ended the last simulated interrupt: a VMM bug', () => {
    expect(kinds([...simulated, iret(true), op({ op: 'run', ticks: 1 })])).toEqual(['virtBoostNotRemoved']);
  });

  it('kept while another simulated interrupt is still in progress: correct', () => {
    const nested = [
      ...simulated, op({ op: 'sti' }), virtRequest(1, 2), virtInt(1, 2), virtEoi(1, 2), virtRequest(1, 2, false),
      op({ op: 'iret' }), rec('virtIret', { irq: 1, targetVm: 2, timedOut: false }), op({ op: 'run', ticks: 1 }),
    ];
    expect(kinds(nested)).toEqual([]);
  });

  // An outside audit: IRQ 3 and IRQ 4 requested into VM 2; the boost came off at IRQ 3's return,
  // the VM was switched away with IRQ 4 still to simulate, and it waited a time slice.
  const twoRequested: Partial<HistoryRecord>[] = [
    virtRequest(3, 2), boost(0, TCB, 'virtInt', 2), virtRequest(4, 2), taskSwitch(1, 2, { vm: 2 }),
    virtInt(3, 2), virtEoi(3, 2), virtRequest(3, 2, false), op({ op: 'iret' }), iret(),
  ];
  const iret4 = rec('virtIret', { irq: 4, targetVm: 2, timedOut: false });

  it('kept past the return while another request waits to be simulated, removed after it: clean', () => {
    expect(kinds([...twoRequested, virtInt(4, 2), virtEoi(4, 2), virtRequest(4, 2, false), op({ op: 'iret' }), iret4, unboost])).toEqual([]);
  });

  it('removed at the return while another request waits: a VMM bug (virtBoostRemovedEarly); kept after that one too: a VMM bug', () => {
    expect(kinds([...twoRequested, unboost, op({ op: 'run', ticks: 1 })])).toContain('virtBoostRemovedEarly');
    expect(kinds([...twoRequested, virtInt(4, 2), virtEoi(4, 2), virtRequest(4, 2, false), op({ op: 'iret' }), iret4, op({ op: 'run', ticks: 1 })])).toEqual(['virtBoostNotRemoved']);
  });

  it('removed with a request waiting because the VM is destroyed (its requests go with it): clean', () => {
    expect(kinds([...twoRequested, taskSwitch(2, 1), unboost, rec('vmLifecycle', { op: 'destroy', targetVm: 2 })])).toEqual([]);
  });

  it('the waiting request masked by the VM: nothing left to simulate, the boost comes off at the mask', () => {
    const mask4 = rec('virtMask', { irq: 4, masked: true, targetVm: 2 });
    expect(kinds([...twoRequested, mask4, unboost])).toEqual([]);
    expect(kinds([...twoRequested, mask4, op({ op: 'run', ticks: 1 })])).toEqual(['virtBoostNotRemoved']);
  });

  it('a request cleared before it was simulated takes the boost with it', () => {
    const requested = [virtRequest(3, 2), boost(0, TCB, 'virtInt', 2), virtRequest(3, 2, false)];
    expect(kinds([...requested, unboost])).toEqual([]);
    expect(kinds([...requested, op({ op: 'run', ticks: 1 })])).toEqual(['virtBoostNotRemoved']);
  });
});
