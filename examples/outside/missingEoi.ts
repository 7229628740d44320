/**
 * Outside driver 5 (an IRQ left in service: a missing Phys_EOI): a disk controller defers its
 * `VPICD_Phys_EOI` to the completion event, which is legal (SPEC §6: "acceptable for an
 * interrupt to be physically in service for any arbitrary length of time"). `stop` cancels a
 * pending completion with the xchg idiom, correctly, but the EOI lived in the cancelled
 * callback: the line stays in service and the disk never interrupts again. Needs the disk's
 * interrupt inside `stop`'s ring-0 work, before the xchg. Caught by the device's invariant.
 *
 * Fixed: when `stop` cancels a completion, it ends the interrupt itself.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 14;

interface DiskState { eoiOwed: boolean; completionPending: boolean; completed: number }

export function missingEoiScenario(fixed: boolean): Scenario {
  const disk = defineDevice<DiskState>({
    name: 'dmadisk',
    state: () => ({ eoiOwed: false, completionPending: false, completed: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'transferDone', meanIntervalTicks: 250 }],
    slots: ['completion'],
    entries: ['read', 'stop'],
    procs: {
      transferDone(r) {
        r.takeHardwareRequest(IRQ);
        r.state.eoiOwed = true; // Phys_EOI deferred to the completion event
        r.state.completionPending = true;
        r.slot('completion').write(r.scheduleGlobalEvent('complete', 0));
      },
      complete(r) {
        r.slot('completion').write(0);
        r.state.completionPending = false;
        r.physEoi(r.irqHandle(IRQ));
        r.state.eoiOwed = false;
        r.state.completed++;
      },
      read(r) {
        r.currentVm();
        r.currentVm();
      },
      stop(r) {
        r.currentVm(); // park the heads: ring-0 work with interrupts enabled
        const handle = r.slot('completion').xchg(0);
        r.cancelGlobalEvent(handle);
        if (handle === 0) return;
        r.state.completionPending = false;
        if (fixed) {
          r.physEoi(r.irqHandle(IRQ));
          r.state.eoiOwed = false;
        }
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-missing-eoi (fixed)' : 'outside-missing-eoi',
    description: 'the Phys_EOI deferred to an event is lost when stop cancels the event',
    vms: 1,
    devices: [disk, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'irqLeftInService',
      check: (view) => {
        const s = view.device<DiskState>('dmadisk');
        return s.eoiOwed && !s.completionPending ? `IRQ ${IRQ} left in service with no completion pending: the disk never interrupts again` : undefined;
      },
    }],
    steps: 40,
  });
}

export default missingEoiScenario(false);
