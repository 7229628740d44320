/**
 * Outside driver 4 (a synchronous service from a callback at interrupt time): the audio
 * interrupt asks for its mixing callback with `Call_Global_Event`. When the interrupt arrived
 * while a VM ran (re-enter count 0) the VMM runs the callback inside the call, still inside the
 * `Hw_Int_Proc`: interrupt time (SPEC §1), where `Begin_Critical_Section` is not allowed. The
 * author tested with interrupts that landed in ring-0 code, where the event is scheduled and
 * runs at the processing point, and the critical section is fine there.
 *
 * Fixed: `Schedule_Global_Event`, so the callback always runs at a processing point.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 7;

export function syncInCallbackScenario(fixed: boolean): Scenario {
  const audio = defineDevice<{ mixed: number }>({
    name: 'audio',
    state: () => ({ mixed: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'bufferEmpty', meanIntervalTicks: 300 }],
    entries: ['play'],
    procs: {
      bufferEmpty(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (fixed) r.scheduleGlobalEvent('mix', 0);
        else r.callGlobalEvent('mix', 0);
      },
      mix(r) {
        r.beginCriticalSection();
        r.state.mixed++;
        r.endCriticalSection();
      },
      play(r) {
        r.currentVm();
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-sync-in-callback (fixed)' : 'outside-sync-in-callback',
    description: 'a callback that Call_Global_Event runs inside the Hw_Int_Proc calls Begin_Critical_Section',
    vms: 1,
    devices: [audio, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default syncInCallbackScenario(false);
