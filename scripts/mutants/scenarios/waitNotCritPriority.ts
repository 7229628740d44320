/**
 * For the checker judge of `npm run mutants`: a PEF_Wait_Not_Crit priority event that waits
 * because its VM's priority is at Critical_Section_Boost, with the critical section free. SPEC
 * §4: it waits until "the critical section is free and the priority is below
 * Critical_Section_Boost". A mutant that reads only the first half calls the callback at once,
 * which breaks the SPEC §7 invariant the runtime checker holds (a priority event runs only when
 * its restrictions hold). The built-in machine never raises a priority that high without the
 * critical section.
 *
 * The card's Hw_Int_Proc schedules a global event; there the device raises the current VM's
 * priority by Critical_Section_Boost, asks for the priority event (it must wait) and schedules
 * a second global event that lowers the priority again, after which the event may run.
 */
import { Boost, defineDevice, defineScenario, PEF } from '../../../src/index.js';

const IRQ = 5;

interface RaiseState { pending: number }

const raiser = defineDevice<RaiseState>({
  name: 'raiser',
  state: () => ({ pending: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'card', meanIntervalTicks: 300 }],
  procs: {
    card(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      if (r.state.pending !== 0) return;
      r.state.pending = 1;
      r.scheduleGlobalEvent('raise', 0);
    },
    raise(r) {
      const vm = r.currentVm();
      r.adjustExecPriority(vm, Boost.Critical_Section_Boost);
      r.callPriorityVmEvent({ boost: 0, vm, flags: PEF.Wait_Not_Crit, callback: 'done', refData: 0 });
      r.scheduleGlobalEvent('lower', vm);
    },
    lower(r) {
      r.adjustExecPriority(r.regs.edx, -Boost.Critical_Section_Boost);
    },
    done(r) {
      r.state.pending = 0;
    },
  },
});

export default defineScenario({
  name: 'mutants-wait-not-crit-priority',
  description: 'a PEF_Wait_Not_Crit priority event against a priority at Critical_Section_Boost',
  vms: 2,
  devices: [raiser],
  steps: 400,
});
