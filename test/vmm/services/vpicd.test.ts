// VPICD and the CPU's interrupt handling (SPEC §6, §1): priority, waiting for EOI, nesting
// when a Hw_Int_Proc enables interrupts, shared lines, spurious interrupts, and virtual
// interrupts simulated into VMs.
import { describe, expect, it } from 'vitest';
import { defineDevice } from '../../../src/vmm/device.js';
import { Boost, VPICD_OPT } from '../../../src/vmm/constants.js';
import { ackIrq, bump, testDevice } from '../../support/devices.js';
import { REENTER_MAX } from '../../../src/vmm/vmm.js';
import { machine } from '../../support/machine.js';
import { destroyVm } from '../../../src/vmm/services/vmControl.js';

/** A device on `irq` whose Hw_Int_Proc just acknowledges the interrupt. */
function plain(name: string, irq: number) {
  return testDevice(name, { hwInt: (r) => ackIrq(r, irq) }, { irq });
}

describe('VPICD', () => {
  it('"fixed priority 0, 1, (8-15), 3-7": IRQs raised together are taken in that order', () => {
    const lines = [7, 3, 12, 1, 0, 9];
    const m = machine({ devices: lines.map((irq) => plain(`d${irq}`, irq)) });
    m.choices.irqAt(lines.reduce((mask, irq) => mask | m.source(`d${irq}`, irq), 0), 'vm');
    m.step();
    expect(m.of('irqEnter').map((r) => r.irq)).toEqual([0, 1, 9, 12, 3, 7]);
    expect(m.of('irqEnter').every((r) => !r.nested)).toBe(true);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('VPICD_Phys_EOI "allows further hardware interrupts from the specified IRQ", and VPICD "does not prioritize hardware interrupts": a lower IRQ nests before the EOI, the same IRQ only after it', () => {
    const order: string[] = [];
    const high = testDevice('high', {
      hwInt(r) {
        bump(r, 'entered');
        if (r.state.entered! > 1) return ackIrq(r, 1); // the nested one: just end it
        r.takeHardwareRequest(1);
        r.sti(); // IRQ 4 (lower) and IRQ 1 (itself) are raised here: IRQ 4 nests at once
        order.push('sti done');
        r.physEoi(r.irqHandle(1));
        order.push('eoi done');
        r.reenterCount(); // IRQ 1 is taken at this preemption point, after its EOI
        order.push('after eoi');
      },
    }, { irq: 1 });
    const low = testDevice('low', { hwInt: (r) => void (ackIrq(r, 4), order.push('low')) }, { irq: 4 });
    const m = machine({ devices: [high, low] });
    m.choices.irqAt(m.source('high', 1), 'vm').irqAt(m.source('low', 4) | m.source('high', 1), 'ring0');
    m.step();
    expect(order).toEqual(['low', 'sti done', 'eoi done', 'after eoi']);
    expect(m.of('irqEnter').map((r) => [r.irq, r.nested])).toEqual([[1, false], [4, true], [1, true]]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('VPICD_Phys_EOI: "it is acceptable for an interrupt to be physically in service for any arbitrary length of time": a Phys_EOI deferred to an event holds back only its own IRQ', () => {
    const disk = testDevice('disk', {
      hwInt(r) {
        r.takeHardwareRequest(14);
        bump(r, 'interrupts');
        r.scheduleGlobalEvent('endInterrupt', 0);
      },
      endInterrupt: (r) => r.physEoi(r.irqHandle(14)),
      work(r) {
        r.currentVm();
        r.sysVm();
        r.currentVm();
      },
    }, { irq: 14, entries: ['work'] });
    const m = machine({ devices: [disk, plain('low', 7)] });
    // IRQ 14 interrupts the trap handler; then IRQ 14 again and the lower IRQ 7, while 14 is still in service.
    m.choices.irqAt(m.source('disk', 14), 'ring0').irqAt(m.source('disk', 14) | m.source('low', 7), 'ring0');
    m.runOps(1, m.trap('disk', 'work'), { op: 'run', ticks: 1 });
    const order = m.records.filter((r) => r.k === 'irqEnter' || r.k === 'eoi').map((r) => `${r.k} ${'irq' in r ? r.irq : ''}`);
    expect(order).toEqual(['irqEnter 14', 'irqEnter 7', 'eoi 7', 'eoi 14', 'irqEnter 14', 'eoi 14']);
    expect(m.counter.counts.deferredPhysEois).toBe(2);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('"Hw_Int_Proc runs with interrupts disabled (it may enable them, which lets any other IRQ nest)": the re-enter count goes up and a nested Call_Global_Event is scheduled', () => {
    const seen: { irq: number; reenter: number; esi: number }[] = [];
    const serial = testDevice('serial', {
      hwInt(r) {
        ackIrq(r, 4);
        r.sti();
        seen.push({ irq: 4, reenter: r.reenterCount(), esi: r.callGlobalEvent('rx', 0) });
        r.cli();
      },
      rx: (r) => bump(r, 'rx'),
    }, { irq: 4 });
    const timer = testDevice('timer', {
      hwInt(r) {
        ackIrq(r, 0);
        seen.push({ irq: 0, reenter: r.reenterCount(), esi: r.callGlobalEvent('tick', 0) });
      },
      tick: (r) => bump(r, 'tick'),
    }, { irq: 0 });
    const m = machine({ devices: [serial, timer] });
    // IRQ 4 interrupts a VM (re-enter 0); IRQ 0 arrives in its handler once it has done STI.
    m.choices.irqAt(m.source('serial', 4), 'vm').irqAt(m.source('timer', 0), (p) => p.inRing0);
    m.step();
    expect(m.of('irqEnter')).toMatchObject([{ irq: 4, nested: false, reenter: 0 }, { irq: 0, nested: true, reenter: 1, ctx: 'hwint' }]);
    expect(seen).toMatchObject([{ irq: 0, reenter: 1 }, { irq: 4, reenter: 0, esi: 0 }]);
    expect(seen[0]!.esi).not.toBe(0);
    expect(m.of('scheduled')).toMatchObject([{ callback: 'timer.tick', reenter: 1 }]);
    expect(m.state<Record<string, number>>('timer').tick).toBe(1);
    expect(m.state<Record<string, number>>('serial').rx).toBe(1);
    expect(m.vmm.reenter).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('nesting two deep inside ring 0: re-enter count 2', () => {
    const depths: number[] = [];
    const serial = testDevice('serial', {
      hwInt(r) {
        ackIrq(r, 4);
        r.sti();
        r.cli();
      },
      work: (r) => void r.reenterCount(),
    }, { irq: 4 });
    const timer = testDevice('timer', { hwInt: (r) => void (ackIrq(r, 0), depths.push(r.reenterCount())) }, { irq: 0 });
    const m = machine({ devices: [serial, timer] });
    m.choices.irqAt(m.source('serial', 4), 'ring0').irqAt(m.source('timer', 0), 'ring0');
    m.runOps(1, m.trap('serial', 'work'));
    expect(depths).toEqual([2]);
    expect(m.of('irqEnter').map((r) => r.reenter)).toEqual([1, 2]);
  });

  it('a handler that ends its interrupt and enables interrupts can re-enter itself: held at REENTER_MAX and reported once', () => {
    let deepest = 0;
    const storm = testDevice('storm', {
      hwInt(r) {
        ackIrq(r, 4); // EOI first ...
        r.sti(); // ... then STI: the same line may nest right here
        deepest = Math.max(deepest, r.reenterCount());
        r.cli();
      },
    }, { irq: 4 });
    const m = machine({ devices: [storm] });
    for (let i = 0; i < 2 * REENTER_MAX; i++) m.choices.irqAt(m.source('storm', 4));
    m.step(3);
    expect(deepest).toBe(REENTER_MAX);
    // The report names the line and the device whose handler re-enters itself.
    expect(m.violations('reenterOverflow')).toMatchObject([{ severity: 'device', device: 'storm', message: expect.stringContaining('IRQ 4 requested again (Hw_Int_Proc of storm') }]);
    expect(m.vmm.reenter).toBe(0);
    expect(m.finish().vmmBugs).toBe(0);
  });

  describe('"Shared IRQs call each sharer\'s Hw_Int_Proc until one claims it."', () => {
    function shared(firstClaims: boolean | 'ifRaised') {
      const calls: string[] = [];
      const sharer = (name: string, claims: boolean | 'ifRaised') => testDevice(name, {
        hwInt(r) {
          calls.push(name);
          const mine = r.takeHardwareRequest(10);
          if (claims === false || (claims === 'ifRaised' && !mine)) return false;
          r.physEoi(r.irqHandle(10));
          return true;
        },
      }, { irq: 10, irqOptions: VPICD_OPT.Can_Share });
      const m = machine({ devices: [sharer('first', firstClaims), sharer('second', 'ifRaised')] });
      return { m, calls };
    }

    it('the second sharer\'s hardware raised it: the first declines, the second claims', () => {
      const { m, calls } = shared('ifRaised');
      m.choices.irqAt(m.source('second', 10), 'vm');
      m.step();
      expect(calls).toEqual(['first', 'second']);
      expect(m.of('irqExit')).toMatchObject([{ irq: 10, claimedBy: 'second' }]);
    });

    it('once one claims, the sharers after it are not called', () => {
      const { m, calls } = shared('ifRaised');
      m.choices.irqAt(m.source('first', 10), 'vm');
      m.step();
      expect(calls).toEqual(['first']);
      expect(m.of('irqExit')).toMatchObject([{ claimedBy: 'first' }]);
    });

    it('nobody claims it: VPICD ends the interrupt itself, and the line works again', () => {
      const { m, calls } = shared(false);
      m.choices.irqAt(m.source('first', 10), 'vm');
      m.step();
      expect(calls).toEqual(['first', 'second']);
      expect(m.of('irqExit')).toMatchObject([{ claimedBy: null }]);
      expect(m.vmm.pic.inService(10)).toBe(false);
      m.choices.irqAt(m.source('second', 10), 'vm');
      m.step();
      expect(m.of('irqExit')).toMatchObject([{ claimedBy: null }, { claimedBy: 'second' }]);
    });
  });

  it('virtualizing one IRQ twice without VPICD_Opt_Can_Share throws', () => {
    expect(() => machine({ devices: [plain('a', 5), plain('b', 5)] })).toThrow(/Can_Share/);
    const sharing = testDevice('c', { hwInt: (r) => ackIrq(r, 5) }, { irq: 5, irqOptions: VPICD_OPT.Can_Share });
    expect(() => machine({ devices: [sharing, plain('b', 5)] })).toThrow(/Can_Share/);
    const sharing2 = testDevice('d', { hwInt: (r) => ackIrq(r, 5) }, { irq: 5, irqOptions: VPICD_OPT.Can_Share });
    expect(() => machine({ devices: [sharing, sharing2] })).not.toThrow();
  });

  describe('"VPICD_Set_Int_Request sets the request; ... otherwise it may be simulated before the service returns (the Virt_Int_Proc can run inside the call)."', () => {
    function virtDevice() {
      const log: string[] = [];
      const dev = testDevice('dev', {
        hwInt(r) {
          ackIrq(r, 3);
          r.setIntRequest(r.sysVm(), r.irqHandle(3));
          log.push('hwInt returns');
        },
        request(r) {
          r.setIntRequest(r.vmHandles()[r.regs.eax]!, r.irqHandle(3));
          log.push('request returns');
        },
        work: (r) => void r.reenterCount(),
        toVm2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
        virtInt: (r) => void log.push(`virtInt in VM ${r.currentVm() === r.vmHandles()[0] ? 1 : 2}`),
        // Clears the request at the VM's EOI, as VID_EOI_Proc "typically" does: else it is simulated again.
        eoi: (r) => r.clearIntRequest(r.regs.ebx, r.regs.eax),
      }, { irq: 3, virtIntProc: 'virtInt', eoiProc: 'eoi' });
      return { m: machine({ devices: [dev] }), log };
    }

    it('inside the call, when the VM is current with interrupts enabled', () => {
      const { m, log } = virtDevice();
      m.runOps(1, m.trap('dev', 'request', 0));
      expect(log).toEqual(['virtInt in VM 1', 'request returns']);
      expect(m.of('virtInt')).toMatchObject([{ irq: 3, targetVm: 1, ctx: 'vmm' }]);
      expect(m.vm(1).simulatingHwInt).toBe(true);
      m.runOps(1, { op: 'iret' });
      expect(m.vm(1).simulatingHwInt).toBe(false);
    });

    it('later, when the VM has interrupts disabled: at the STI', () => {
      const { m, log } = virtDevice();
      m.runOps(1, { op: 'cli' }, m.trap('dev', 'request', 0));
      expect(log).toEqual(['request returns']);
      m.runOps(1, { op: 'sti' });
      expect(log).toEqual(['request returns', 'virtInt in VM 1']);
    });

    it('later, for a VM that is not current: it is boosted (Time_Critical_Boost, "VPICD uses this when simulating hardware interrupts") and takes it when it runs', () => {
      const { m, log } = virtDevice();
      m.ops.push(1, m.trap('dev', 'request', 1));
      m.step();
      expect(log).toEqual(['request returns', 'virtInt in VM 2']);
      expect(m.of('boost')).toMatchObject([{ targetVm: 2, delta: Boost.Time_Critical_Boost, reason: 'virtInt' }]);
      expect(m.of('taskSwitch')).toMatchObject([{ from: 1, to: 2 }]);
      expect(m.of('virtInt')).toMatchObject([{ irq: 3, targetVm: 2, vm: 2 }]);
      // The boost lasts while the interrupt is simulated: VM 2 runs its handler, and its iret ends it.
      m.runOps(2, { op: 'eoi' }, { op: 'iret' });
      expect(m.of('boost')).toMatchObject([{ delta: Boost.Time_Critical_Boost }, { targetVm: 2, delta: -Boost.Time_Critical_Boost, reason: 'virtInt' }]);
      expect(m.vm(2).boost).toBe(0);
      expect(m.finish().vmmBugs).toBe(0);
    });

    it('later, from a Hw_Int_Proc that interrupted the VMM: on the way back to ring 3', () => {
      const { m, log } = virtDevice();
      m.choices.irqAt(m.source('dev', 3), 'ring0');
      m.runOps(1, m.trap('dev', 'work'));
      expect(log).toEqual(['hwInt returns', 'virtInt in VM 1']);
      expect(m.of('virtInt')).toMatchObject([{ reenter: 0 }]);
    });
  });

  // An outside audit: IRQ 3 and IRQ 4 requested into VM 2 while VM 1 ran; the boost came off at
  // IRQ 3's return, and VM 2 was switched away with IRQ 4 still requested, for a time slice.
  it('two requests into a VM that is not current: the boost lasts until VPICD has simulated both (SPEC §6 "so that the scheduler runs it soon")', () => {
    const twoLines = defineDevice<{ virt: number[] }>({
      name: 'two',
      state: () => ({ virt: [] }),
      irqs: [3, 4].map((irq) => ({ irq, hwIntProc: 'hwInt', virtIntProc: 'virtInt', eoiProc: 'eoi', meanIntervalTicks: 1e9 })),
      entries: ['request'],
      procs: {
        hwInt: () => true,
        virtInt(r) {
          r.state.virt.push(r.regs.eax === r.irqHandle(3) ? 3 : 4);
        },
        eoi(r) {
          r.clearIntRequest(r.regs.ebx, r.regs.eax);
        },
        request(r) {
          r.setIntRequest(r.vmHandles()[1]!, r.irqHandle(3));
          r.setIntRequest(r.vmHandles()[1]!, r.irqHandle(4));
        },
      },
    });
    const m = machine({ devices: [twoLines] });
    m.runOps(1, m.trap('two', 'request'));
    m.runOps(2, { op: 'eoi' }, { op: 'iret' }, { op: 'eoi' }, { op: 'iret' });
    expect(m.state<{ virt: number[] }>('two').virt).toEqual([3, 4]);
    const order = m.records.filter((r) => r.k === 'virtIret' || r.k === 'virtInt' || (r.k === 'boost' && r.reason === 'virtInt') || r.k === 'taskSwitch')
      .map((r) => (r.k === 'boost' ? `boost ${r.delta > 0 ? 'on' : 'off'}` : r.k === 'taskSwitch' ? `switch ${r.from}→${r.to}` : `${r.k} ${(r as { irq: number }).irq}`));
    expect(order.slice(0, 7)).toEqual(['boost on', 'switch 1→2', 'virtInt 3', 'virtIret 3', 'virtInt 4', 'virtIret 4', 'boost off']);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('VPICD_Set_Int_Request names the handle that is wrong: a VM destroyed since is invalidVmHandle with its value, a bad IRQ handle invalidIrqHandle', () => {
    const dev = testDevice('dev', {
      hwInt: (r) => ackIrq(r, 5),
      poke(r) {
        r.setIntRequest(r.state.vm2!, r.irqHandle(5));
        r.setIntRequest(r.sysVm(), 0x77);
      },
    }, { irq: 5, entries: ['poke'] });
    const m = machine({ devices: [dev], config: { vms: 3 } });
    const vm2 = m.vmm.vmById(2)!.handle;
    m.state<Record<string, number>>('dev')['vm2'] = vm2;
    destroyVm(m.vmm, 2);
    m.runOps(1, m.trap('dev', 'poke'));
    expect(m.violations().map((v) => [v.kind, v.message])).toEqual([
      ['invalidVmHandle', `dev passed EBX = 0x${vm2.toString(16)} to VPICD_Set_Int_Request, which is no VM`],
      ['invalidIrqHandle', 'dev passed 0x77 to VPICD_Set_Int_Request, which is no IRQ handle'],
    ]);
  });
});
