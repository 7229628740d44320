/**
 * Outside driver 12 (re-entrancy through a `Call_Global_Event` that runs at once): a serial
 * receiver's `Hw_Int_Proc` stores a byte in its ring, asks for the `drain` callback with
 * `Call_Global_Event`, and only then publishes the byte (advances the count the callback reads).
 * Its author expected the call to schedule, as it does when the interrupt cut into ring-0 code
 * (re-enter count above zero). But when the interrupt arrived while a VM ran, the re-enter count
 * is 0 and the service calls `drain` inside the call (ESI = 0): the callback runs before the
 * handler's last line and finds a byte stored but not published.
 *
 * Fixed: publish first, then call the event (the handler's state is whole at every service call).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 4;

interface RingState { stored: number; published: number; drained: number; tornDrains: number }

export function callNowReentryScenario(fixed: boolean): Scenario {
  const uart = defineDevice<RingState>({
    name: 'uart',
    state: () => ({ stored: 0, published: 0, drained: 0, tornDrains: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'rxReady', meanIntervalTicks: 250 }],
    entries: ['status'],
    procs: {
      rxReady(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.stored++;
        if (fixed) r.state.published++;
        r.callGlobalEvent('drain', 0);
        if (!fixed) r.state.published++; // BUG: drain may already have run
      },
      drain(r) {
        if (r.state.stored !== r.state.published) r.state.tornDrains++;
        r.state.drained = r.state.published;
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-call-now-reentry (fixed)' : 'outside-call-now-reentry',
    description: 'a Hw_Int_Proc calls Call_Global_Event half-way through an update; at re-enter count 0 the callback runs inside the call',
    vms: 1,
    devices: [uart, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'tornRing',
      check: (view) => {
        const s = view.device<RingState>('uart');
        return s.tornDrains === 0 ? undefined : `drain ran ${s.tornDrains} time(s) with a byte stored but not published`;
      },
    }],
    steps: 40,
  });
}

export default callNowReentryScenario(false);
