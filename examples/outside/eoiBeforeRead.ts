/**
 * Outside driver 31 (the device read deferred past the EOI): a digitizer's interrupt handler
 * ends the interrupt and leaves reading the sample register to its event. Once the
 * `VPICD_Phys_EOI` is sent the line may interrupt again (SPEC §6: an IRQ that has not been
 * EOI'd "holds back further interrupts from that IRQ only"), and the next sample overwrites the
 * register before the event reads it: a sample is lost. Needs two digitizer interrupts before
 * the event runs (both in one stretch of ring-0 code).
 *
 * Fixed: the handler reads the register into a queue before its EOI; the event drains the queue.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 13;

interface DigitizerState {
  /** The hardware's sample register: the device latches a new sample with each interrupt. */
  sampleRegister: number;
  latched: number;
  queue: number[];
  consumed: number;
  readPending: boolean;
}

export function eoiBeforeReadScenario(fixed: boolean): Scenario {
  const digitizer = defineDevice<DigitizerState>({
    name: 'digitizer',
    state: () => ({ sampleRegister: 0, latched: 0, queue: [], consumed: 0, readPending: false }),
    irqs: [{ irq: IRQ, hwIntProc: 'sampleInt', meanIntervalTicks: 200 }],
    slots: ['read'],
    entries: ['calibrate'],
    procs: {
      sampleInt(r) {
        r.takeHardwareRequest(IRQ);
        r.state.sampleRegister = ++r.state.latched; // what the hardware latched for this interrupt
        if (fixed) r.state.queue.push(r.state.sampleRegister); // in al, dx before the EOI
        r.physEoi(r.irqHandle(IRQ));
        if (r.state.readPending) return;
        r.state.readPending = true;
        r.slot('read').write(r.scheduleGlobalEvent('readSample', 0));
      },
      readSample(r) {
        r.slot('read').write(0);
        r.state.readPending = false;
        if (fixed) {
          r.state.consumed += r.state.queue.length;
          r.state.queue = [];
          return;
        }
        r.state.queue = [r.state.sampleRegister];
        r.state.consumed++;
      },
      calibrate(r) {
        r.currentVm();
        r.currentVm();
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-eoi-before-read (fixed)' : 'outside-eoi-before-read',
    description: "a Hw_Int_Proc EOIs and leaves reading its device to an event; the next interrupt overwrites the register",
    vms: 1,
    devices: [digitizer, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'sampleLost',
      check: (view) => {
        const s = view.device<DigitizerState>('digitizer');
        return s.readPending || s.consumed === s.latched ? undefined : `${s.latched - s.consumed} sample(s) overwritten in the register before the event read them`;
      },
    }],
    steps: 40,
  });
}

export default eoiBeforeReadScenario(false);
