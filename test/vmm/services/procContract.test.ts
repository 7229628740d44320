// The register contract of VPICD procedures and callbacks (SPEC §6, §7): VID_Hw_Int_Proc "Uses
// EAX, EBX, ECX, EDX, ESI, and Flags" (so it must preserve EDI, EBP, ESP and the segment
// registers), and every callback must return with the direction flag clear.
import { describe, expect, it } from 'vitest';
import { EFLAGS_DF } from '../../../src/vmm/regs.js';
import { ackIrq, testDevice, type TestProc, type TestRing0 } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

const IRQ = 3;

function hwIntDoing(body: (r: TestRing0) => void) {
  const dev = testDevice('dev', { hwInt: (r) => void (ackIrq(r, IRQ), body(r)) }, { irq: IRQ });
  const m = machine({ devices: [dev] });
  const before = { ...m.vmm.regs };
  m.choices.irqAt(m.source('dev', IRQ), 'vm');
  m.step();
  return { m, before };
}

describe('VPICD procedure contracts', () => {
  it('"Uses EAX, EBX, ECX, EDX, ESI, and Flags": a Hw_Int_Proc may change those freely', () => {
    const { m } = hwIntDoing((r) => {
      r.regs.eax = 1; r.regs.ebx = 2; r.regs.ecx = 3; r.regs.edx = 4; r.regs.esi = 5; r.regs.eflags |= 1;
    });
    expect(m.violations()).toEqual([]);
  });

  it.each(['edi', 'ebp', 'esp', 'ds', 'es', 'fs', 'gs', 'ss'] as const)('a Hw_Int_Proc that clobbers %s is a device bug; the register is restored', (reg) => {
    const { m, before } = hwIntDoing((r) => void (r.regs[reg] = 0x1234));
    expect(m.violations('registerClobbered')).toMatchObject([{ severity: 'device', device: 'dev' }]);
    expect(m.violations('registerClobbered')[0]!.message).toContain(reg);
    expect(m.vmm.regs[reg]).toBe(before[reg]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a Hw_Int_Proc that returns with the direction flag set is a device bug (SPEC §7)', () => {
    const { m } = hwIntDoing((r) => void (r.regs.eflags |= EFLAGS_DF));
    expect(m.violations('directionFlagSet')).toMatchObject([{ device: 'dev' }]);
    expect(m.vmm.regs.eflags & EFLAGS_DF).toBe(0);
  });

  const procs: [string, TestProc][] = [
    ['an event callback', (r) => void r.callGlobalEvent('dirty', 0)],
    ['an EOI_Proc', (r) => void r.setIntRequest(r.sysVm(), r.irqHandle(IRQ))],
  ];
  it.each(procs)('"a callback that returns with the direction flag set": %s', (_name, trigger) => {
    const dev = testDevice('dev', {
      hwInt: (r) => ackIrq(r, IRQ),
      trigger,
      dirty: (r) => void (r.regs.eflags |= EFLAGS_DF),
      virtInt: () => {},
    }, { irq: IRQ, virtIntProc: 'virtInt', eoiProc: 'dirty', entries: ['trigger'] });
    const m = machine({ devices: [dev] });
    m.runOps(1, m.trap('dev', 'trigger'), { op: 'eoi' });
    expect(m.violations('directionFlagSet')).toMatchObject([{ device: 'dev' }]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('an EOI_Proc that clobbers EDI is a device bug too (VID_EOI_Proc: "Uses EAX, EBX, ECX, EDX, ESI, and Flags")', () => {
    const dev = testDevice('dev', {
      hwInt: (r) => ackIrq(r, IRQ),
      request: (r) => r.setIntRequest(r.sysVm(), r.irqHandle(IRQ)),
      eoi: (r) => void (r.regs.edi = 7),
    }, { irq: IRQ, eoiProc: 'eoi', entries: ['request'] });
    const m = machine({ devices: [dev] });
    m.runOps(1, m.trap('dev', 'request'), { op: 'eoi' });
    expect(m.violations('registerClobbered')).toHaveLength(1);
    expect(m.violations('registerClobbered')[0]!.message).toContain('dev.eoi');
  });
});
