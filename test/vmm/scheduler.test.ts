// The primary scheduler and the time slicer (SPEC §2): "The scheduler runs the non-suspended,
// non-blocked VM with the highest execution priority; the time slicer rotates Cur_Run_VM_Boost
// among VMs. Task switches happen only at scheduler points ..., never inside a
// hardware-interrupt handler."
import { describe, expect, it } from 'vitest';
import { Boost, PEF } from '../../src/vmm/constants.js';
import { ackIrq, testDevice } from '../support/devices.js';
import { machine } from '../support/machine.js';

const IRQ = 9;
const STI = { op: 'sti' } as const;

function setup(vms: number, timesliceTicks = 1e9) {
  const dev = testDevice('sched', {
    // Traps take EAX = a VM id; for `boost`, bits 8-15 are the boost in Low_Pri_Device_Boost units.
    boost: (r) => r.adjustExecPriority(r.vmHandles()[(r.regs.eax & 0xff) - 1]!, (r.regs.eax >> 8) * Boost.Low_Pri_Device_Boost),
    suspend(r) {
      r.regs.ebx = r.vmHandles()[r.regs.eax - 1]!;
      r.vmmCall('Suspend_VM');
      r.state.carry = r.regs.eflags & 1;
    },
    resume(r) {
      r.regs.ebx = r.vmHandles()[r.regs.eax - 1]!;
      r.vmmCall('Resume_VM');
    },
    work: (r) => void r.reenterCount(),
    hwInt(r) {
      ackIrq(r, IRQ);
      // Asynchronous, so allowed here: boosts VM 2 from inside the handler.
      r.callPriorityVmEvent({ boost: Boost.High_Pri_Device_Boost, vm: r.vmHandles()[1]!, flags: PEF.Always_Sched, callback: 'cb', refData: 0 });
    },
    cb() {},
  }, { irq: IRQ });
  const m = machine({ devices: [dev], config: { vms, timesliceTicks } });
  return { m, state: m.state<Record<string, number>>('sched') };
}

describe('scheduler', () => {
  it('runs the runnable VM with the highest execution priority', () => {
    const { m } = setup(4);
    m.runOps(1, m.trap('sched', 'boost', (2 << 8) | 3));
    expect(m.vmm.current.id).toBe(3);
    m.runOps(3, m.trap('sched', 'boost', (3 << 8) | 4));
    expect(m.vmm.current.id).toBe(4);
    // Ties keep the current VM: VM 3 catches up with VM 4, nothing moves.
    m.runOps(4, m.trap('sched', 'boost', (1 << 8) | 3));
    expect(m.vmm.current.id).toBe(4);
    expect(m.of('taskSwitch').map((s) => [s.from, s.to])).toEqual([[1, 3], [3, 4]]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('skips a suspended VM; "VM 1 is the system VM ... can never be suspended"', () => {
    const { m, state } = setup(3);
    m.runOps(1, m.trap('sched', 'suspend', 1));
    expect(state.carry).toBe(1);
    expect(m.vm(1).suspended).toBe(false);
    m.runOps(1, m.trap('sched', 'suspend', 2), m.trap('sched', 'boost', (4 << 8) | 2));
    expect(state.carry).toBe(0);
    expect(m.vmm.current.id).toBe(1); // VM 2 has the priority but is suspended
    m.runOps(1, m.trap('sched', 'resume', 2));
    expect(m.vmm.current.id).toBe(2);
    expect(m.of('vmLifecycle').map((r) => r.op)).toEqual(['suspend', 'resume']);
  });

  it('the time slicer moves Cur_Run_VM_Boost round-robin, and the scheduler follows it', () => {
    const { m } = setup(3, 100);
    const current: number[] = [];
    for (let i = 0; i < 6; i++) {
      m.runOps(m.vmm.current.id, { op: 'run', ticks: 150 }, STI);
      current.push(m.vmm.current.id);
      expect(m.vmm.execPriority(m.vmm.current)).toBe(Boost.Cur_Run_VM_Boost);
    }
    expect(current).toEqual([2, 3, 1, 2, 3, 1]);
  });

  it('never switches tasks inside a hardware-interrupt handler, even when the handler boosts another VM', () => {
    const { m } = setup(2);
    m.choices.irqAt(m.source('sched', IRQ), 'ring0').irqAt(m.source('sched', IRQ), 'vm');
    m.runOps(1, m.trap('sched', 'work'));
    m.step(3);
    const switches = m.of('taskSwitch');
    expect(switches.length).toBeGreaterThan(0);
    expect(switches.every((s) => s.ctx !== 'hwint' && s.reenter === 0)).toBe(true);
    const exits = m.of('irqExit');
    expect(switches[0]!.seq).toBeGreaterThan(exits[0]!.seq);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('a Hw_Int_Proc that interrupted a VM and boosts another: the switch waits for the way back to ring 3', () => {
    const dev = testDevice('dev', {
      hwInt(r) {
        ackIrq(r, IRQ);
        // A request into VM 2, not current: Time_Critical_Boost (asynchronous, fine at interrupt time).
        r.setIntRequest(r.vmHandles()[1]!, r.irqHandle(IRQ));
        r.state.currentInHandler = r.currentVm();
      },
    }, { irq: IRQ });
    const m = machine({ devices: [dev], config: { vms: 2, timesliceTicks: 1e9 } });
    m.choices.irqAt(m.source('dev', IRQ), 'vm');
    m.step();
    expect(m.state<Record<string, number>>('dev').currentInHandler).toBe(m.handle(1));
    expect(m.of('taskSwitch')).toMatchObject([{ from: 1, to: 2, ctx: 'vmm', reenter: 0 }]);
    expect(m.of('taskSwitch')[0]!.seq).toBeGreaterThan(m.of('irqExit')[0]!.seq);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('keeps a VM in nested execution current ("it keeps the CPU until it is done")', () => {
    const dev = testDevice('nest', {
      nested(r) {
        r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost);
        r.execNested();
        r.state.currentAfter = r.currentVm();
      },
    });
    const m = machine({ devices: [dev], config: { vms: 2 } });
    m.runOps(1, m.trap('nest', 'nested'));
    expect(m.state<Record<string, number>>('nest').currentAfter).toBe(m.handle(1));
    expect(m.vmm.current.id).toBe(2); // switched on the trap's own return
  });

  // README model choice: "None: the VM keeps the CPU until its nested execution ends." A VM
  // suspended inside its own nested execution (here by a global callback that Resume_Exec's
  // processing point runs) stops when it is done: a switch while its code ran inside
  // Resume_Exec ran the rest of the VxD's procedure, End_Nest_Exec included, in the system VM.
  it('keeps a VM in nested execution current even once it is suspended; it stops when its nested execution ends', () => {
    const dev = testDevice('nest', {
      raise: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
      nested(r) {
        r.scheduleGlobalEvent('suspendMe', r.currentVm());
        r.execNested();
        r.state.currentAfter = r.currentVm();
      },
      suspendMe(r) {
        r.regs.ebx = r.regs.edx;
        r.vmmCall('Suspend_VM');
        r.state.carry = r.regs.eflags & 1;
      },
      hwInt: (r) => ackIrq(r, IRQ),
    }, { irq: IRQ });
    const m = machine({ devices: [dev], config: { vms: 2, timesliceTicks: 1e9 } });
    m.runOps(1, m.trap('nest', 'raise'));
    expect(m.vmm.current.id).toBe(2);
    // The IRQ lands while VM 2's code runs inside Resume_Exec: its return is a processing point.
    m.choices.irqAt(m.source('nest', IRQ), (point) => !point.inRing0 && m.vmm.current.nestedExec > 0);
    m.runOps(2, m.trap('nest', 'nested'));
    const state = m.state<Record<string, number>>('nest');
    expect(state.carry).toBe(0); // suspended
    expect(m.of('irqEnter')).toHaveLength(1);
    expect(state.currentAfter).toBe(m.handle(2));
    expect(m.vm(2).nestedExec).toBe(0);
    expect(m.vmm.current.id).toBe(1); // switched away once the procedure was done
    const result = m.finish();
    expect(result.violations).toEqual([]);
  });

  it('"Resume_Exec" outside Begin_Nest_Exec .. End_Nest_Exec is refused and reported (nothing holds the CPU for the procedure)', () => {
    const dev = testDevice('nest', { resume: (r) => r.vmmCall('Resume_Exec') });
    const m = machine({ devices: [dev], config: { vms: 2 } });
    m.runOps(1, m.trap('nest', 'resume'));
    expect(m.violations('nestExecUnbalanced')).toMatchObject([{ severity: 'device', device: 'nest', message: expect.stringMatching(/Resume_Exec outside Begin_Nest_Exec/) }]);
    expect(m.of('nestedExec')).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });
});
