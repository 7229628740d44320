/**
 * For the checker judge of `npm run mutants`: a run that makes a PEF_Wait_Not_Nested_Exec
 * priority event wait, so that a mutant which ignores the restriction breaks the SPEC §7
 * invariant the runtime checker holds (a priority event's callback runs only when its
 * restrictions hold). The built-in machine never schedules one.
 *
 * The card's Hw_Int_Proc asks for the priority event (at interrupt time: it is queued) and
 * schedules a global event; at the next processing point the global event runs first and
 * enters nested execution, whose event point finds the priority event pending. Ignoring the
 * flag runs its callback there.
 */
import { Boost, defineDevice, defineScenario, PEF } from '../../../src/index.js';

const IRQ = 5;

interface NestState { pending: number }

const nester = defineDevice<NestState>({
  name: 'nester',
  state: () => ({ pending: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'card', meanIntervalTicks: 300 }],
  procs: {
    card(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      if (r.state.pending !== 0) return;
      r.state.pending = r.callPriorityVmEvent({
        boost: Boost.High_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Wait_Not_Nested_Exec,
        callback: 'done', refData: 0,
      });
      r.scheduleGlobalEvent('nest', 0);
    },
    nest(r) {
      r.execNested();
    },
    done(r) {
      r.state.pending = 0;
    },
  },
});

export default defineScenario({
  name: 'mutants-nested-exec',
  description: 'a PEF_Wait_Not_Nested_Exec priority event against nested execution',
  vms: 2,
  devices: [nester],
  steps: 400,
});
