/**
 * Zoo bug 4: a synchronous service called from a Hw_Int_Proc (interrupt time, SPEC §1).
 *
 * `request` asks for a priority event; when the hardware answers first, the interrupt handler
 * cancels the request with Cancel_Priority_VM_Event, which is the one synchronous event service.
 * Inside a Hw_Int_Proc that is never allowed, whatever the re-enter count (the debug VMM's
 * "Synchronous service called from a nested interrupt").
 *
 * The fixed twin defers the cancel as VID_Hw_Int_Proc says ("this procedure should use the
 * Schedule_Call_Global_Event service"): a scheduled global event runs it at the next
 * event-processing point, outside the handler. (Call_Global_Event would not do: at re-enter
 * count 0 it runs the callback at once, still inside the handler.)
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { Boost, PEF } from '../../src/vmm/constants.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 6;

export interface PointerState {
  requests: number;
  delivered: number;
  answered: number;
}

function cancelRequest(r: Ring0<PointerState>): void {
  r.cancelPriorityVmEvent(r.slot('request').xchg(0));
}

export function pointerDevice(fixed: boolean) {
  return defineDevice<PointerState>({
    name: 'pointer',
    state: () => ({ requests: 0, delivered: 0, answered: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    slots: ['request'],
    entries: ['request', 'poll'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.answered++;
        if (fixed) r.scheduleGlobalEvent('cancelLater', 0);
        else cancelRequest(r);
      },
      cancelLater(r) {
        cancelRequest(r);
      },
      request(r) {
        r.state.requests++;
        const handle = r.callPriorityVmEvent({
          boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Always_Sched, callback: 'deliver', refData: r.state.requests,
        });
        r.slot('request').write(handle);
      },
      deliver(r) {
        r.slot('request').write(0);
        r.state.delivered++;
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
      },
    },
  });
}

export function syncAtInterruptScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'sync-service-at-interrupt (fixed)' : 'sync-service-at-interrupt',
    description: 'Cancel_Priority_VM_Event called from a Hw_Int_Proc that interrupted the VMM',
    vms: 1,
    devices: [pointerDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
