// SPEC §6: "`Hw_Int_Proc` runs with interrupts disabled (it may enable them, which lets any other
// IRQ nest), gets EAX = IRQ handle, EBX = current VM". A handler reads EAX to call
// VPICD_Phys_EOI and EBX to request a virtual interrupt for the VM it interrupted.
import { describe, expect, it } from 'vitest';
import { Boost, VPICD_OPT } from '../../../src/vmm/constants.js';
import { defineDevice } from '../../../src/vmm/device.js';
import { ackIrq, testDevice, type Bag, type TestRing0 } from '../../support/devices.js';
import { machine, type Machine } from '../../support/machine.js';

interface Entry { irq: number; eax: number; ebx: number; handle: number; current: number }

function setup() {
  const entries: Entry[] = [];
  const enter = (irq: number) => (r: TestRing0) => {
    entries.push({ irq, eax: r.regs.eax, ebx: r.regs.ebx, handle: r.irqHandle(irq), current: r.currentVm() });
    ackIrq(r, irq);
    return true;
  };
  const dev = defineDevice<Bag>({
    name: 'dev',
    state: () => ({}),
    irqs: [{ irq: 3, hwIntProc: 'irq3', meanIntervalTicks: 1000 }, { irq: 9, hwIntProc: 'irq9', meanIntervalTicks: 1000 }],
    entries: ['boost2'],
    procs: {
      irq3: enter(3),
      irq9: enter(9),
      boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
    },
  });
  const m = machine({ devices: [dev], config: { timesliceTicks: 1e12 } });
  return { m, entries };
}

describe('Hw_Int_Proc entry (SPEC §6)', () => {
  it('"gets EAX = IRQ handle": each line\'s own handle, the one VPICD_Phys_EOI takes', () => {
    const { m, entries } = setup();
    m.choices.irqAt(m.source('dev', 3), 'vm');
    m.step();
    m.choices.irqAt(m.source('dev', 9), 'vm');
    m.step();
    expect(entries.map((e) => e.irq)).toEqual([3, 9]);
    for (const e of entries) expect(e.eax).toBe(e.handle);
    expect(entries[0]!.eax).not.toBe(entries[1]!.eax);
    expect(m.finish().violations).toEqual([]);
  });

  it('"EBX = current VM": also when the current VM is not the system VM', () => {
    const { m, entries } = setup();
    m.runOps(1, m.trap('dev', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    m.choices.irqAt(m.source('dev', 3), 'vm');
    m.step();
    expect(entries).toHaveLength(1);
    expect(entries[0]!.ebx).toBe(m.handle(2));
    expect(entries[0]!.ebx).toBe(entries[0]!.current);
    expect(m.finish().violations).toEqual([]);
  });

  it('"runs with interrupts disabled (it may enable them, which lets any other IRQ nest)": another IRQ waits for its STI, then nests', () => {
    const log: string[] = [];
    const dev = defineDevice<Bag>({
      name: 'dev',
      state: () => ({}),
      irqs: [{ irq: 3, hwIntProc: 'irq3', meanIntervalTicks: 1000 }, { irq: 9, hwIntProc: 'irq9', meanIntervalTicks: 1000 }],
      procs: {
        irq3(r) {
          log.push('enter 3');
          ackIrq(r, 3);
          r.currentVm(); // a service call: a preemption point, were interrupts enabled
          log.push('sti');
          r.sti();
          log.push('leave 3');
          return true;
        },
        irq9: (r) => (log.push('enter 9'), ackIrq(r, 9), true),
      },
    });
    const m = machine({ devices: [dev] });
    m.choices.irqAt(m.source('dev', 3), 'vm');
    m.choices.irqAt(m.source('dev', 9), 'ring0');
    m.step(2);
    expect(log).toEqual(['enter 3', 'sti', 'enter 9', 'leave 3']);
    expect(m.of('irqEnter')).toMatchObject([{ irq: 3, nested: false }, { irq: 9, nested: true }]);
    expect(m.finish().violations).toEqual([]);
  });

  it('"Hw_Int_Proc runs with interrupts disabled", every sharer\'s: one that enabled them and declined leaves the next entered with them disabled, so no IRQ nests in it', () => {
    let m!: Machine;
    const log: string[] = [];
    const first = testDevice('first', {
      hwInt(r) {
        log.push(`first IF=${m.vmm.interruptsEnabled}`);
        r.sti(); // "it may enable them"
        return false; // not its interrupt: the next sharer is asked
      },
    }, { irq: 3, irqOptions: VPICD_OPT.Can_Share });
    const second = testDevice('second', {
      hwInt(r) {
        log.push(`second IF=${m.vmm.interruptsEnabled}`);
        r.takeHardwareRequest(3);
        r.currentVm(); // a service call: a preemption point, where IRQ 5 is raised
        r.physEoi(r.irqHandle(3));
        log.push('second done');
      },
    }, { irq: 3, irqOptions: VPICD_OPT.Can_Share });
    const other = testDevice('other', { hwInt: (r) => void (log.push('IRQ 5'), ackIrq(r, 5)) }, { irq: 5 });
    m = machine({ devices: [first, second, other] });
    let ring0Points = 0;
    // IRQ 3 between client steps; IRQ 5 at the second preemption point in ring 0 (inside `second`, after first's sti).
    m.choices.irqAt(m.source('first', 3), 'vm').irqAt(m.source('other', 5), (p) => p.inRing0 && ++ring0Points === 2);
    m.step(2);
    expect(log.slice(0, 3)).toEqual(['first IF=false', 'second IF=false', 'second done']);
    // IRQ 5 came once interrupts were enabled again (after IRQ 3's IRET), never nested in `second`.
    expect(m.of('irqEnter').filter((r) => r.irq === 5).every((r) => !r.nested)).toBe(true);
    expect(m.finish().vmmBugs).toBe(0);
  });
});
