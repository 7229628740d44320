/**
 * Outside driver 2 (double cancel): a modem arms a hang-up timer, a VM event for the system VM.
 * The carrier-lost interrupt cancels the timer but leaves the handle in the saved word; a later
 * `hangup` cancels it again: the second cancel names an event already cancelled (a stale cancel,
 * SPEC §3). Needs the interrupt while the timer is pending (dialled from VM 2, before VM 1 runs).
 *
 * Fixed: the interrupt handler takes the handle with `xchg` (it zeroes the word as it cancels).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 4;

export function doubleCancelScenario(fixed: boolean): Scenario {
  const modem = defineDevice<{ hangups: number; carrierLost: number }>({
    name: 'modem',
    state: () => ({ hangups: 0, carrierLost: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'carrierLost', meanIntervalTicks: 300 }],
    slots: ['hangupTimer'],
    entries: ['dial', 'hangup'],
    procs: {
      carrierLost(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.carrierLost++;
        const handle = fixed ? r.slot('hangupTimer').xchg(0) : r.slot('hangupTimer').read();
        if (handle !== 0) r.cancelVmEvent(r.sysVm(), handle);
      },
      hangupTimer(r) {
        r.slot('hangupTimer').write(0);
        r.state.hangups++;
      },
      dial(r) {
        if (r.slot('hangupTimer').read() !== 0) return;
        r.slot('hangupTimer').write(r.scheduleVmEvent(r.sysVm(), 'hangupTimer', 0));
      },
      hangup(r) {
        r.cancelVmEvent(r.sysVm(), r.slot('hangupTimer').xchg(0));
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-double-cancel (fixed)' : 'outside-double-cancel',
    description: 'an interrupt handler cancels a pending event but keeps its handle; a later cancel repeats it',
    vms: 2,
    devices: [modem, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    // Slices of 100 virtual µs (the default is 2,000: VM 1 would keep the CPU for a whole execution).
    config: { timesliceTicks: 100 },
    steps: 40,
  });
}

export default doubleCancelScenario(false);
