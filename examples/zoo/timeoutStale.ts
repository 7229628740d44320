/**
 * Zoo bug 12: a priority event that times out, then a stale cancel of it.
 *
 * The sound card asks for a priority event that must wait until VPICD is not simulating a
 * hardware interrupt into the VM (PEF_Wait_Not_HW_Int), with a timeout (PEF_Time_Out, EDI = 1 ms):
 * "if the timeout passes before the restrictions are met, the callback is called at once, in
 * whatever VM is current, with the carry flag set" (SPEC §4; DDK Call_Priority_VM_Event). The
 * card's interrupt requests a virtual interrupt into the system VM, which keeps the VM inside a
 * simulated hardware interrupt until it `iret`s, and, when the hardware answers, cancels the
 * outstanding request (deferred with Schedule_Global_Event: Cancel_Priority_VM_Event is
 * synchronous, and Call_Global_Event would run the callback inside the handler, still at
 * interrupt time, SPEC §1).
 *
 * The callback zeroes the saved handle on the ordinary path, but its time-out path returns early
 * and forgets to. A request that times out (an interrupt kept the VM in its simulated interrupt
 * for over a millisecond) leaves a stale handle behind, and the next interrupt cancels it. dfs
 * with a short step bound never waits long enough for the timeout.
 *
 * The fixed twin zeroes the handle first thing in the callback, on both paths.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { Boost, PEF } from '../../src/vmm/constants.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND } from './mix.js';

const IRQ = 12;

export interface SoundState {
  requests: number;
  delivered: number;
  timeouts: number;
}

export function soundDevice(fixed: boolean) {
  return defineDevice<SoundState>({
    name: 'sound',
    state: () => ({ requests: 0, delivered: 0, timeouts: 0 }),
    // The EOI_Proc clears the virtual request, as the DDK's virtual PIC expects of a device (it
    // is level-triggered: an uncleared request is simulated again after the VM's EOI).
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', virtIntProc: 'virtInt', eoiProc: 'virtEoi', meanIntervalTicks: 800 }],
    slots: ['request'],
    entries: ['request', 'poll'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        const irq = r.irqHandle(IRQ);
        r.physEoi(irq);
        r.setIntRequest(r.sysVm(), irq);
        r.scheduleGlobalEvent('answered', 0);
      },
      virtInt() {},
      virtEoi(r) {
        r.clearIntRequest(r.regs.ebx, r.irqHandle(IRQ));
      },
      answered(r) {
        r.cancelPriorityVmEvent(r.slot('request').xchg(0));
      },
      request(r) {
        if (r.slot('request').read() !== 0) return;
        r.state.requests++;
        const handle = r.callPriorityVmEvent({
          boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Always_Sched | PEF.Wait_Not_HW_Int | PEF.Time_Out,
          callback: 'deliver', refData: r.state.requests, timeoutMs: 1,
        });
        r.slot('request').write(handle);
      },
      deliver(r) {
        if (fixed) r.slot('request').write(0);
        if (r.carry) {
          r.state.timeouts++;
          return;
        }
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

export function timeoutStaleScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'timeout-stale-cancel (fixed)' : 'timeout-stale-cancel',
    description: 'a priority event times out (carry set), its callback keeps the handle, and the next interrupt cancels it',
    vms: 1,
    devices: [soundDevice(fixed), ...BACKGROUND],
    // Long client runs and rare irets: virtual time passes while the VM sits in a simulated interrupt.
    mix: { run: 30, trap: 60, interruptFlag: 4, iret: 2, mode: 0, runTicksMean: 200 },
    steps: 80,
  });
}
