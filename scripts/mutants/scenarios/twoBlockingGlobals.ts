/**
 * Two global callbacks of one processing pass that both claim the critical section while another
 * VM owns it. For the checker judge of `npm run mutants` (the built-in machine never blocks a
 * callback): VM 2 claims the section in a trap and makes the system VM time-critical with a
 * priority event; that callback schedules two global events, each starting with
 * Begin_Critical_Section. The first blocks in the system VM; nothing more may run there (SPEC
 * §3/§7, trace format 10): the second runs in VM 2, the owner. A model that ran it in the
 * sleeping VM blocked it too, in the first one's place (dispatchInSleepingVm, blockedCallbackTwice).
 */
import { Boost, defineDevice, defineScenario } from '../../../src/index.js';

interface TwoState { stage: number; done: number }

const twice = defineDevice<TwoState>({
  name: 'twice',
  state: () => ({ stage: 0, done: 0 }),
  entries: ['work'],
  procs: {
    work(r) {
      if (r.currentVm() === r.sysVm()) return;
      if (r.state.stage === 0) {
        r.state.stage = 1;
        r.beginCriticalSection();
        r.callPriorityVmEvent({ vm: r.sysVm(), boost: Boost.Time_Critical_Boost, flags: 0, callback: 'urgent', refData: 0 });
      } else if (r.state.stage === 2) {
        r.state.stage = 3;
        r.endCriticalSection();
      }
    },
    urgent(r) {
      r.scheduleGlobalEvent('claim', 1);
      r.scheduleGlobalEvent('claim', 2);
      r.state.stage = 2;
    },
    claim(r) {
      r.beginCriticalSection();
      r.state.done++;
      r.endCriticalSection();
    },
  },
});

export default defineScenario({
  name: 'two-blocking-globals',
  vms: 2,
  devices: [twice],
  config: { timesliceTicks: 20 },
  mix: { run: 20, trap: 80, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0, runTicksMean: 5 },
  steps: 200,
});
