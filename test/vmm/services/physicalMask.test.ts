// VPICD's physical mask (SPEC §6: the PIC's "mask (IMR)"): VPICD_Physically_Mask "masks the
// specified IRQ on the hardware PIC", VPICD_Physically_Unmask "unmasks the physical IRQ without
// regard to mask state of the virtual machines", VPICD_Set_Auto_Masking (automatic masking from
// the VMs' virtual masks is not modelled: docs/conformance.md; the line is unmasked).
import { describe, expect, it } from 'vitest';
import { ackIrq, bump, testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';
import { InvariantChecker } from '../../../src/vmm/checker/checker.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';

const IRQ = 5;

/**
 * The pattern of real VxDs that defer their work: the Hw_Int_Proc masks its own line, ends the
 * interrupt and schedules the work; the event unmasks the line when the work is done.
 */
function deferring(unmask: 'physicallyUnmask' | 'setAutoMasking') {
  return testDevice('nic', {
    hwInt(r) {
      bump(r, 'interrupts');
      r.physicallyMask(r.irqHandle(IRQ));
      ackIrq(r, IRQ);
      r.scheduleGlobalEvent('work', 0);
    },
    work(r) {
      bump(r, 'work');
      r.currentVm(); // a preemption point while the line is still masked
      r[unmask](r.irqHandle(IRQ));
      r.currentVm(); // the request that waited is taken here
      bump(r, 'after unmask');
    },
  }, { irq: IRQ });
}

const entries = (records: readonly HistoryRecord[]): string[] =>
  records.filter((r) => r.k === 'irqEnter' || r.k === 'physMask' || r.k === 'dispatch').map((r) =>
    r.k === 'irqEnter' ? `irq ${r.irq}` : r.k === 'physMask' ? `${r.masked ? 'mask' : 'unmask'} ${r.irq}` : 'dispatch');

describe('the physical mask', () => {
  it.each(['physicallyUnmask', 'setAutoMasking'] as const)('a request on a masked line waits in the PIC and is taken once %s unmasks it', (unmask) => {
    const m = machine({ devices: [deferring(unmask)] });
    // The IRQ at the first step; raised again inside the event callback, before the unmask.
    m.choices.irqAt(m.source('nic', IRQ), 'vm').irqAt(m.source('nic', IRQ), 'ring0');
    m.runOps(1, { op: 'run', ticks: 1 }, { op: 'run', ticks: 1 }, { op: 'run', ticks: 1 });
    expect(entries(m.records)).toEqual(['irq 5', 'mask 5', 'dispatch', 'unmask 5', 'irq 5', 'mask 5', 'dispatch', 'unmask 5']);
    expect(m.state('nic')).toMatchObject({ interrupts: 2, work: 2 });
    expect(m.finish().vmmBugs).toBe(0);
    expect(m.violations()).toEqual([]);
  });

  it('an asynchronous service: a Hw_Int_Proc may call it (no syncServiceAtInterrupt)', () => {
    const m = machine({ devices: [deferring('physicallyUnmask')] });
    m.choices.irqAt(m.source('nic', IRQ), 'vm');
    m.runOps(1, { op: 'run', ticks: 1 });
    expect(m.violations('syncServiceAtInterrupt')).toEqual([]);
    expect(m.of('physMask').map((r) => [r.ctx, r.masked])).toEqual([['hwint', true], ['vmm', false]]);
  });

  it('a handle that names no IRQ is the device\'s bug (invalidIrqHandle), and nothing is masked', () => {
    const bad = testDevice('bad', { poke: (r) => r.physicallyMask(0x1234) }, { entries: ['poke'] });
    const m = machine({ devices: [bad] });
    m.runOps(1, m.trap('bad', 'poke'));
    expect(m.violations('invalidIrqHandle').map((v) => v.message)).toEqual(['bad passed 0x1234 to VPICD_Physically_Mask']);
    expect(m.of('physMask')).toEqual([]);
  });

  it('the checker reports an IRQ entered while its line is masked, from the records alone (irqWhileMasked)', () => {
    const checker = new InvariantChecker();
    const at = { vm: 1, ctx: 'vm', reenter: 0 } as const;
    const stream: HistoryRecord[] = [
      { k: 'physMask', irq: IRQ, masked: true, seq: 1, ticks: 1, ...at },
      { k: 'irqEnter', irq: IRQ, nested: false, seq: 2, ticks: 2, ...at },
    ];
    for (const r of stream) checker.onRecord(r);
    expect(checker.violations.map((v) => [v.kind, v.severity])).toEqual([['irqWhileMasked', 'vmm']]);
    checker.reset();
    for (const r of [{ ...stream[0]!, masked: false } as HistoryRecord, stream[1]!]) checker.onRecord(r);
    expect(checker.violations).toEqual([]);
  });
});
