// SPEC §6: "the interrupt is *not* simulated immediately if the VM has interrupts disabled, has
// masked the IRQ, has a higher-priority virtual IRQ in service, or is suspended or cannot run".
// The request stays: once the VM runs again, the interrupt is simulated.
import { describe, expect, it } from 'vitest';
import { Boost } from '../../../src/vmm/constants.js';
import { vmIdFromHandle } from '../../../src/vmm/vm.js';
import { ackIrq, testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

const IRQ = 3;

function setup() {
  const simulated: number[] = [];
  const dev = testDevice('dev', {
    hwInt: (r) => ackIrq(r, IRQ),
    boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
    // From VM 2's own trap: suspend VM 2 (it stays current until the next scheduler point), then request.
    suspendSelfThenRequest(r) {
      r.regs.ebx = r.currentVm();
      r.vmmCall('Suspend_VM');
      r.setIntRequest(r.currentVm(), r.irqHandle(IRQ));
    },
    resume2(r) {
      r.regs.ebx = r.vmHandles()[1]!;
      r.vmmCall('Resume_VM');
    },
    virtInt: (r) => void simulated.push(vmIdFromHandle(r.regs.ebx)),
  }, { irq: IRQ, virtIntProc: 'virtInt', entries: ['boost2', 'suspendSelfThenRequest', 'resume2'] });
  const m = machine({ devices: [dev], config: { timesliceTicks: 1e12 } });
  return { m, simulated };
}

describe('the virtual PIC and a VM that cannot run', () => {
  it('"not simulated immediately if ... is suspended": a request into the suspended current VM waits until it is resumed and runs', () => {
    const { m, simulated } = setup();
    m.runOps(1, m.trap('dev', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    m.runOps(2, m.trap('dev', 'suspendSelfThenRequest'));
    expect(m.vm(2).suspended).toBe(true);
    expect(simulated).toEqual([]);
    expect(m.of('virtInt')).toEqual([]);
    m.runOps(1, { op: 'run', ticks: 1 });
    expect(m.vmm.current.id).toBe(1);
    expect(simulated).toEqual([]);
    m.runOps(1, m.trap('dev', 'resume2'));
    m.step();
    expect(m.vmm.current.id).toBe(2);
    expect(simulated).toEqual([2]);
    expect(m.finish().vmmBugs).toBe(0);
  });
});
