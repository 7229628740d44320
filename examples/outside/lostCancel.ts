/**
 * Outside driver 3 (lost cancel: a saved handle overwritten by a second schedule): a scanner's
 * frame interrupt schedules a `deliverFrame` VM event for VM 2 and saves the handle in one word,
 * overwriting the handle of a delivery still pending. `stop` cancels only the last one; the
 * first is delivered after the scanner stopped. Needs two interrupts while VM 1 runs, then a
 * `stop` from VM 1 (depth 2 at least), and is caught by the device's own invariant: no core
 * rule sees a handle that is simply forgotten.
 *
 * Fixed: the handler schedules only when no delivery is pending ("already requested?", VKD's way).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 5;

interface ScannerState { running: boolean; frames: number; framesAfterStop: number }

export function lostCancelScenario(fixed: boolean): Scenario {
  const scanner = defineDevice<ScannerState>({
    name: 'scanner',
    state: () => ({ running: false, frames: 0, framesAfterStop: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'frameReady', meanIntervalTicks: 200 }],
    slots: ['delivery'],
    entries: ['start', 'stop'],
    procs: {
      frameReady(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (!r.state.running) return;
        if (fixed && r.slot('delivery').read() !== 0) return;
        const consumer = r.vmHandles()[1] ?? r.sysVm();
        r.slot('delivery').write(r.scheduleVmEvent(consumer, 'deliverFrame', 0));
      },
      deliverFrame(r) {
        r.slot('delivery').write(0);
        r.state.frames++;
        if (!r.state.running) r.state.framesAfterStop++;
      },
      start(r) {
        r.state.running = true;
      },
      stop(r) {
        r.state.running = false;
        const consumer = r.vmHandles()[1] ?? r.sysVm();
        r.cancelVmEvent(consumer, r.slot('delivery').xchg(0));
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-lost-cancel (fixed)' : 'outside-lost-cancel',
    description: 'a second schedule overwrites the saved handle of a pending event; stop cancels only the second',
    vms: 2,
    devices: [scanner, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    // Slices of 100 virtual µs (the default is 2,000: VM 1 would keep the CPU for a whole execution).
    config: { timesliceTicks: 100 },
    invariants: [{
      name: 'frameAfterStop',
      check: (view) => {
        const s = view.device<ScannerState>('scanner');
        return s.framesAfterStop === 0 ? undefined : `${s.framesAfterStop} frame(s) delivered after stop`;
      },
    }],
    steps: 40,
  });
}

export default lostCancelScenario(false);
