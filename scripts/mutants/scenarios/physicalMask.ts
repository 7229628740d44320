/**
 * For the checker judge of `npm run mutants`: a device that defers its work as real VxDs do,
 * masking its line on the physical PIC in its Hw_Int_Proc (VPICD_Physically_Mask) and unmasking
 * it from the event that does the work, with its IRQ raised often, so that a mutant whose PIC
 * ignores the mask enters the IRQ while it is masked (irqWhileMasked). The built-in machine
 * masks no line.
 */
import { defineDevice, defineScenario } from '../../../src/index.js';

const IRQ = 5;

const nic = defineDevice<{ interrupts: number; work: number }>({
  name: 'nic',
  state: () => ({ interrupts: 0, work: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 20 }],
  entries: ['poke'],
  procs: {
    hwInt(r) {
      r.state.interrupts++;
      r.takeHardwareRequest(IRQ);
      r.physicallyMask(r.irqHandle(IRQ));
      r.physEoi(r.irqHandle(IRQ));
      r.scheduleGlobalEvent('work', 0);
    },
    work(r) {
      r.currentVm();
      r.state.work++;
      r.physicallyUnmask(r.irqHandle(IRQ));
    },
    poke(r) {
      r.currentVm();
      r.sysVm();
    },
  },
});

export default defineScenario({
  name: 'mutants-physical-mask',
  description: 'a line masked in its Hw_Int_Proc and unmasked by the event it scheduled',
  vms: 2,
  devices: [nic],
  steps: 400,
});
