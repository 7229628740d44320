// Call_VM_Event, Schedule_VM_Event, Cancel_VM_Event (SPEC §3): "VM events run only when their
// VM is about to run", in that VM.
import { describe, expect, it } from 'vitest';
import { Boost } from '../../../src/vmm/constants.js';
import { ackIrq, bump, testDevice, type TestProc } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

const IRQ = 6;

interface Ran {
  vm: number;
  ebx: number;
  edx: number;
}

function setup(procs: Record<string, TestProc> = {}, vms = 3) {
  const ran: Ran[] = [];
  const dev = testDevice('dev', {
    hwInt(r) {
      ackIrq(r, IRQ);
      r.slot('saved').write(r.callVmEvent(r.currentVm(), 'cb', 0x77));
    },
    // EAX (the trap's argument) is the target VM's id.
    call: (r) => void r.slot('saved').write(r.callVmEvent(r.vmHandles()[r.regs.eax - 1]!, 'cb', r.regs.eax)),
    schedule: (r) => void r.slot('saved').write(r.scheduleVmEvent(r.vmHandles()[r.regs.eax - 1]!, 'cb', r.regs.eax)),
    // EAX: the VM the event was scheduled for (Cancel_VM_Event's EBX).
    cancel: (r) => r.cancelVmEvent(r.vmHandles()[r.regs.eax - 1] ?? 0, r.slot('saved').xchg(0)),
    boost: (r) => r.adjustExecPriority(r.vmHandles()[r.regs.eax - 1]!, Boost.High_Pri_Device_Boost),
    work: (r) => void r.reenterCount(),
    cb(r) {
      r.slot('saved').write(0);
      ran.push({ vm: m.vmm.current.id, ebx: r.regs.ebx, edx: r.regs.edx });
    },
    ...procs,
  }, { irq: IRQ });
  const m = machine({ devices: [dev], config: { vms } });
  return { m, ran, saved: () => m.vmm.devices[0]!.slot('saved').read() };
}

describe('SPEC §3 VM events', () => {
  it('"Call_VM_Event | runs the callback now when re-enter count is 0 and EBX is the current VM"', () => {
    const { m, ran, saved } = setup();
    m.runOps(1, m.trap('dev', 'call', 1));
    expect(ran).toEqual([{ vm: 1, ebx: m.handle(1), edx: 1 }]);
    expect(m.of('calledNow')).toMatchObject([{ kind: 'vm', service: 'Call_VM_Event', targetVm: 1 }]);
    expect(saved()).toBe(0);
    expect(m.finish().violations).toEqual([]);
  });

  it('"otherwise: scheduled for that VM": another VM\'s event waits until that VM runs, and runs in it', () => {
    const { m, ran, saved } = setup();
    m.runOps(1, m.trap('dev', 'call', 2));
    expect(saved()).not.toBe(0);
    expect(m.of('scheduled')).toMatchObject([{ kind: 'vm', targetVm: 2, latitude: false }]);
    // "Event processing is secondary to the scheduler": VM 1 keeps running, the event waits.
    m.runOps(1, { op: 'sti' }, m.trap('dev', 'work'), { op: 'sti' });
    expect(ran).toEqual([]);
    m.runOps(1, m.trap('dev', 'boost', 2));
    expect(ran).toEqual([{ vm: 2, ebx: m.handle(2), edx: 2 }]);
    const switchAt = m.records.findIndex((r) => r.k === 'taskSwitch');
    const dispatchAt = m.records.findIndex((r) => r.k === 'dispatch');
    expect(m.records[switchAt]).toMatchObject({ from: 1, to: 2 });
    expect(dispatchAt).toBeGreaterThan(switchAt);
    expect(m.records[dispatchAt]).toMatchObject({ kind: 'vm', vm: 2, targetVm: 2, inline: false });
    expect(m.finish().violations).toEqual([]);
  });

  it('"otherwise": for the current VM from a Hw_Int_Proc that interrupted the VMM, scheduled and run at the processing point', () => {
    const { m, ran } = setup();
    m.choices.irqAt(m.source('dev', IRQ), 'ring0');
    m.runOps(1, m.trap('dev', 'work'));
    expect(m.of('scheduled')).toMatchObject([{ kind: 'vm', targetVm: 1, reenter: 1 }]);
    expect(ran).toEqual([{ vm: 1, ebx: m.handle(1), edx: 0x77 }]);
    expect(m.finish().violations).toEqual([]);
  });

  it('"Schedule_VM_Event | never": even for the current VM at re-enter count 0', () => {
    const { m, ran } = setup({
      scheduleMine(r) {
        r.scheduleVmEvent(r.currentVm(), 'cb', 5);
        r.state.ranInside = ran.length;
      },
    });
    m.runOps(1, m.trap('dev', 'scheduleMine'));
    expect(m.state<Record<string, number>>('dev').ranInside).toBe(0);
    expect(m.of('calledNow')).toEqual([]);
    expect(ran).toEqual([{ vm: 1, ebx: m.handle(1), edx: 5 }]);
  });

  it('"Cancel_VM_Event | EBX=VM, ESI = handle (0 allowed)": a pending VM event is cancelled and never runs', () => {
    const { m, ran } = setup();
    m.runOps(1, m.trap('dev', 'schedule', 2), m.trap('dev', 'cancel', 2), m.trap('dev', 'cancel', 2));
    expect(m.of('cancel').map((c) => c.outcome)).toEqual(['cancelled', 'zero']);
    m.runOps(1, m.trap('dev', 'boost', 2));
    m.step(3);
    expect(m.vmm.current.id).toBe(2);
    expect(ran).toEqual([]);
    expect(m.finish().violations).toEqual([]);
  });

  it('"Cancel_VM_Event\'s EBX must be the VM the event was scheduled for; a different one is a device bug (reported, nothing cancelled)."', () => {
    const { m, ran } = setup();
    m.runOps(1, m.trap('dev', 'schedule', 2), m.trap('dev', 'cancel', 1));
    // The message names EBX's VM as well as its handle (a raw handle sent the reader to a replay).
    expect(m.violations('cancelWrongVm')).toMatchObject([{ severity: 'device', device: 'dev', message: expect.stringMatching(/^dev cancelled VM 2's event 0x[0-9a-f]+ with EBX = 0x[0-9a-f]+ \(VM 1's handle\)$/) }]);
    expect(m.of('cancel').map((c) => c.outcome)).toEqual(['wrongVm']);
    expect(m.vm(2).vmEvents).toHaveLength(1);
    m.runOps(1, m.trap('dev', 'boost', 2));
    m.step(3);
    expect(ran).toHaveLength(1); // it was not cancelled: it runs when VM 2 does
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a VM event cancelled with Cancel_Global_Event is a wrongCancelService device bug', () => {
    const { m } = setup({ cancelAsGlobal: (r) => r.cancelGlobalEvent(r.slot('saved').read()) });
    m.runOps(1, m.trap('dev', 'schedule', 2), m.trap('dev', 'cancelAsGlobal'));
    expect(m.violations('wrongCancelService')).toHaveLength(1);
    expect(m.vm(2).vmEvents).toHaveLength(1);
  });

  it('a callback may schedule VM events for its own VM: processed in the same pass (SPEC §3)', () => {
    const { m } = setup({
      chain(r) {
        bump(r, 'chain');
        if (r.state.chain! < 3) r.scheduleVmEvent(r.currentVm(), 'chain', 0);
      },
      start: (r) => void r.scheduleVmEvent(r.currentVm(), 'chain', 0),
    });
    m.runOps(1, m.trap('dev', 'start'));
    expect(m.of('processEnd').map((r) => r.dispatched).filter((n) => n > 0)).toEqual([3]);
  });
});
