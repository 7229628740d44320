/**
 * For the checker judge of `npm run mutants`: a run in which Call_Priority_VM_Event refuses
 * calls, so that a mutant which answers a refusal with ESI = 0 ("the callback already ran")
 * breaks the SPEC §7 invariant the runtime checker holds: `Call_*` returned 0 exactly when the
 * callback ran inside the call. The built-in machine never makes a refused call.
 *
 * The card's Hw_Int_Proc asks for a priority event with a reserved PEF bit (refused, a device
 * bug the run reports; the judge runs with --vmm-only), then for a valid one.
 */
import { Boost, defineDevice, defineScenario, PEF } from '../../../src/index.js';

const IRQ = 5;
const RESERVED_PEF_BIT = 0x100;

const refused = defineDevice<Record<string, never>>({
  name: 'refused',
  state: () => ({}),
  irqs: [{ irq: IRQ, hwIntProc: 'card', meanIntervalTicks: 300 }],
  procs: {
    card(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Always_Sched | RESERVED_PEF_BIT, callback: 'done', refData: 0 });
      r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Always_Sched, callback: 'done', refData: 0 });
    },
    done() {},
  },
});

export default defineScenario({
  name: 'mutants-refused-call',
  description: 'Call_Priority_VM_Event refused (reserved PEF bits) from a Hw_Int_Proc',
  vms: 2,
  devices: [refused],
  steps: 400,
});
