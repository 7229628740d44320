/**
 * For the checker judge of `npm run mutants`: a VM suspended inside its own nested execution,
 * so that a mutant which lets the scheduler switch away from it there breaks the invariant the
 * runtime checker holds (no task switch while the VM's code runs inside Resume_Exec: the rest
 * of the VxD's procedure would run in another VM). The built-in machine never suspends a VM
 * in nested execution.
 *
 * A trap from a VM other than the system VM schedules a global event and enters nested
 * execution; Resume_Exec's processing point runs the event, which suspends that VM; an IRQ
 * that lands while its code runs inside Resume_Exec returns through a processing point that may
 * switch tasks. The system VM's next trap resumes every suspended VM.
 */
import { defineDevice, defineScenario } from '../../../src/index.js';

const IRQ = 3;

const nester = defineDevice<{ suspended: number[] }>({
  name: 'nester',
  state: () => ({ suspended: [] }),
  irqs: [{ irq: IRQ, hwIntProc: 'card', meanIntervalTicks: 3 }],
  entries: ['work'],
  procs: {
    card(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
    },
    work(r) {
      const vm = r.currentVm();
      if (vm === r.sysVm()) {
        for (const handle of r.state.suspended.splice(0)) r.resumeVm(handle);
        return;
      }
      r.scheduleGlobalEvent('suspend', vm);
      r.execNested();
    },
    suspend(r) {
      r.suspendVm(r.regs.edx);
      if ((r.regs.eflags & 1) === 0) r.state.suspended.push(r.regs.edx);
    },
  },
});

export default defineScenario({
  name: 'mutants-suspended-nested-exec',
  description: 'a VM suspended inside its own nested execution, with IRQs landing there',
  vms: 2,
  devices: [nester],
  config: { timesliceTicks: 20 },
  mix: { run: 20, trap: 80, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0, runTicksMean: 5 },
  steps: 400,
});
