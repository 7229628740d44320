/**
 * Zoo bug 3: an event cancelled with the wrong Cancel_ service.
 *
 * The interrupt notifies the system VM with Call_VM_Event. While the system VM runs and the
 * VMM is not re-entered the callback runs at once; otherwise the event is scheduled and waits
 * until the scheduler runs the system VM, and its handle is saved. `stop` cancels the saved
 * event with Cancel_Global_Event: wrong for a VM event (the DDK: a Cancel_XX may only cancel
 * an event made by the matching Call_/Schedule_XX). It only shows when the VM event is still
 * pending at the `stop`: an IRQ while VM 2 runs, then VM 2's `stop` before VM 1 runs again.
 *
 * The fixed twin cancels with Cancel_VM_Event.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 5;

export interface NotifyState {
  raised: number;
  notified: number;
}

export function notifyDevice(fixed: boolean) {
  return defineDevice<NotifyState>({
    name: 'notify',
    state: () => ({ raised: 0, notified: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    slots: ['event'],
    entries: ['poll', 'stop'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.raised++;
        const handle = r.callVmEvent(r.sysVm(), 'notified', r.state.raised);
        if (handle !== 0) r.slot('event').write(handle);
      },
      notified(r) {
        r.slot('event').write(0);
        r.state.notified++;
      },
      poll(r) {
        r.currentVm();
      },
      stop(r) {
        const handle = r.slot('event').xchg(0);
        if (fixed) r.cancelVmEvent(r.sysVm(), handle);
        else r.cancelGlobalEvent(handle);
      },
    },
  });
}

export function wrongCancelScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'wrong-cancel-service (fixed)' : 'wrong-cancel-service',
    description: 'a VM event cancelled with Cancel_Global_Event',
    vms: 2,
    devices: [notifyDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    // Short time slices, so that both VMs run within a few dozen steps.
    config: { timesliceTicks: 50 },
    steps: 40,
  });
}
