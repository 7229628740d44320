// The virtual PIC (SPEC §6; VPICD_Set_Int_Request, VID_EOI_Proc, VID_IRET_Proc,
// VID_Mask_Change_Proc, VPICD_IRQ_Descriptor): level-triggered requests, the VM's mask, virtual
// in-service state in priority order, the VM's virtual EOI and IRET, the IRET time-out.
import { describe, expect, it } from 'vitest';
import { TICKS_PER_MS } from '../../../src/vmm/constants.js';
import { vmIdFromHandle } from '../../../src/vmm/vm.js';
import { ackIrq, bump, testDevice, type TestRing0 } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

/** A device on `irq` whose entries request (`request`) and clear (`clear`) its virtual interrupt for VM 1. */
function virtualDevice(name: string, irq: number, options: { clearInEoi: boolean; iretTimeoutMs?: number }, log: string[]) {
  const tag = (r: TestRing0, what: string) => log.push(`${name}.${what} vm${vmIdFromHandle(r.regs.ebx)}${r.carry ? ' CF' : ''}${what === 'mask' ? ` ecx=${r.regs.ecx}` : ''}`);
  return testDevice(name, {
    hwInt: (r) => ackIrq(r, irq),
    request: (r) => r.setIntRequest(r.sysVm(), r.irqHandle(irq)),
    clear: (r) => r.clearIntRequest(r.sysVm(), r.irqHandle(irq)),
    virtInt(r) {
      expect(r.regs.eax).toBe(r.irqHandle(irq));
      tag(r, 'virtInt');
    },
    eoi(r) {
      expect(r.regs.eax).toBe(r.irqHandle(irq));
      tag(r, 'eoi');
      if (options.clearInEoi) r.clearIntRequest(r.regs.ebx, r.regs.eax);
    },
    iret: (r) => void tag(r, 'iret'),
    mask: (r) => void tag(r, 'mask'),
  }, {
    irq, virtIntProc: 'virtInt', eoiProc: 'eoi', iretProc: 'iret', maskChangeProc: 'mask',
    entries: ['request', 'clear'], ...(options.iretTimeoutMs !== undefined ? { iretTimeoutMs: options.iretTimeoutMs } : {}),
  });
}

function setup(clearInEoi: boolean, iretTimeoutMs?: number) {
  const log: string[] = [];
  // No time slicing: these runs take virtual seconds, and VM 2 has nothing to do.
  const m = machine({ devices: [virtualDevice('dev', 3, { clearInEoi, ...(iretTimeoutMs !== undefined ? { iretTimeoutMs } : {}) }, log)], config: { timesliceTicks: 1e12 } });
  return { m, log };
}

describe('the virtual PIC', () => {
  it('"The virtual VPIC device simulates a level-triggered PIC. This means that once a virtual EOI occurs, another interrupt will be simulated immediately unless the virtual interrupt request is cleared."', () => {
    const { m, log } = setup(false);
    m.runOps(1, m.trap('dev', 'request'));
    expect(log).toEqual(['dev.virtInt vm1']);
    m.runOps(1, { op: 'eoi' }, { op: 'iret' });
    expect(log).toEqual(['dev.virtInt vm1', 'dev.eoi vm1', 'dev.iret vm1', 'dev.virtInt vm1']);
    expect(m.counter.counts.resimulatedRequests).toBe(1);
    m.runOps(1, m.trap('dev', 'clear'), { op: 'eoi' }, { op: 'iret' }, { op: 'run', ticks: 1 });
    expect(m.of('virtInt')).toHaveLength(2);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('VID_EOI_Proc "typically calls the VPICD_Clear_Int_Request ...": an EOI_Proc that clears the request ends it', () => {
    const { m, log } = setup(true);
    m.runOps(1, m.trap('dev', 'request'), { op: 'eoi' }, { op: 'iret' }, { op: 'run', ticks: 1 });
    expect(log).toEqual(['dev.virtInt vm1', 'dev.eoi vm1', 'dev.iret vm1']);
    expect(m.vm(1).virtRequests).toBe(0);
    expect(m.counter.counts.resimulatedRequests).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"a call to the VPICD_Clear_Int_Request service made before the virtual interrupt is simulated prevents the interrupt simulation"', () => {
    const { m, log } = setup(true);
    m.runOps(1, { op: 'cli' }, m.trap('dev', 'request'), m.trap('dev', 'clear'), { op: 'sti' });
    expect(log).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"not simulated immediately if ... The virtual machine has masked the IRQ"; VID_Mask_Change_Proc runs "whenever a virtual machine attempts to mask or unmask an interrupt"', () => {
    const { m, log } = setup(true);
    m.runOps(1, { op: 'mask', irq: 3, masked: true }, m.trap('dev', 'request'), { op: 'mask', irq: 3, masked: true });
    expect(log).toEqual(['dev.mask vm1 ecx=1']);
    m.runOps(1, { op: 'mask', irq: 3, masked: false });
    expect(log).toEqual(['dev.mask vm1 ecx=1', 'dev.mask vm1 ecx=0', 'dev.virtInt vm1']);
    expect(m.counter.counts.virtualMaskChanges).toBe(2);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"not simulated immediately if ... A higher priority virtual IRQ is in service": a lower IRQ waits for the EOI, a higher one nests', () => {
    const log: string[] = [];
    const m = machine({ devices: [virtualDevice('high', 1, { clearInEoi: true }, log), virtualDevice('low', 4, { clearInEoi: true }, log)] });
    m.runOps(1, m.trap('low', 'request'), { op: 'sti' }, m.trap('high', 'request'));
    expect(log).toEqual(['low.virtInt vm1', 'high.virtInt vm1']);
    expect(m.vm(1).virtInService).toBe((1 << 1) | (1 << 4));
    m.runOps(1, { op: 'eoi' });
    expect(log.at(-1)).toBe('high.eoi vm1'); // a non-specific EOI ends the highest in service
    const m2 = machine({ devices: [virtualDevice('high', 1, { clearInEoi: true }, []), virtualDevice('low', 4, { clearInEoi: true }, [])] });
    m2.runOps(1, m2.trap('high', 'request'), { op: 'sti' }, m2.trap('low', 'request'));
    expect(m2.of('virtInt').map((r) => r.irq)).toEqual([1]);
    m2.runOps(1, { op: 'eoi' });
    expect(m2.of('virtInt').map((r) => r.irq)).toEqual([1, 4]);
    expect(m.finish().vmmBugs + m2.finish().vmmBugs).toBe(0);
  });

  it('"not simulated immediately if ... The virtual machine has interrupts disabled": a simulated interrupt enters with them disabled, its iret restores them', () => {
    const { m } = setup(false);
    m.runOps(1, m.trap('dev', 'request'));
    expect(m.vm(1).vif).toBe(false);
    expect(m.vm(1).simulatingHwInt).toBe(true);
    m.runOps(1, { op: 'iret' });
    expect(m.vm(1).vif).toBe(true);
    expect(m.vm(1).simulatingHwInt).toBe(false);
  });

  it('VID_IRET_Proc runs "whenever a time out occurs for a simulated interrupt", with carry set; VID_IRET_Time_Out defaults to 500 ms', () => {
    const { m, log } = setup(true);
    m.runOps(1, m.trap('dev', 'request'), { op: 'run', ticks: 499 * TICKS_PER_MS }, { op: 'sti' });
    expect(log).toEqual(['dev.virtInt vm1']);
    m.runOps(1, { op: 'run', ticks: 2 * TICKS_PER_MS }, { op: 'cli' }, { op: 'sti' });
    expect(log).toEqual(['dev.virtInt vm1', 'dev.iret vm1 CF']);
    expect(m.vm(1).simulatingHwInt).toBe(false);
    expect(m.counter.counts.iretTimeouts).toBe(1);
    // The VM's late iret pops the frame without calling IRET_Proc again.
    m.runOps(1, { op: 'eoi' }, { op: 'iret' });
    expect(log.filter((l) => l.includes('iret'))).toEqual(['dev.iret vm1 CF']);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('the IRET time-out of a descriptor (VID_IRET_Time_Out: "Maximum amount of time in milliseconds")', () => {
    const { m, log } = setup(true, 2);
    m.runOps(1, m.trap('dev', 'request'), { op: 'run', ticks: 3 * TICKS_PER_MS }, { op: 'sti' });
    expect(log).toEqual(['dev.virtInt vm1', 'dev.iret vm1 CF']);
  });

  it('a request from a Hw_Int_Proc is simulated on the way back to the VM, never inside the handler (SPEC §1 interrupt time)', () => {
    const log: string[] = [];
    const dev = testDevice('dev', {
      hwInt(r) {
        ackIrq(r, 3);
        r.setIntRequest(r.currentVm(), r.irqHandle(3));
        bump(r, 'requested');
      },
      virtInt: () => void log.push('virtInt'),
    }, { irq: 3, virtIntProc: 'virtInt' });
    const m = machine({ devices: [dev] });
    m.choices.irqAt(m.source('dev', 3), 'vm');
    m.step();
    expect(log).toEqual(['virtInt']);
    expect(m.of('virtInt')[0]!.seq).toBeGreaterThan(m.of('irqExit')[0]!.seq);
    expect(m.finish().vmmBugs).toBe(0);
  });
});
