/**
 * Outside driver 22 (a priority event that can never run): a modem driver wants its "carrier
 * lost" callback to run before anything else, so it asks for `Critical_Section_Boost`, and, since
 * the callback touches the critical section's data, also `PEF_Wait_Not_Crit`. The VMM waits until
 * the VM's priority is below `Critical_Section_Boost`, which the event's own boost keeps it from
 * ever being: the event can never be dispatched. Needs the carrier interrupt and a trap to see it.
 *
 * Fixed: a boost below `Critical_Section_Boost` (`High_Pri_Device_Boost`).
 */
import { Boost, defineDevice, defineScenario, PEF, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 3;

interface ModemState { carrierLost: boolean; hangups: number }

export function critBoostNeverRunsScenario(fixed: boolean): Scenario {
  const modem = defineDevice<ModemState>({
    name: 'modem',
    state: () => ({ carrierLost: false, hangups: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'lineStatus', meanIntervalTicks: 300 }],
    slots: ['hangup'],
    entries: ['status'],
    procs: {
      lineStatus(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.carrierLost = true;
      },
      status(r) {
        if (!r.state.carrierLost || r.slot('hangup').read() !== 0) return;
        r.slot('hangup').write(r.callPriorityVmEvent({
          boost: fixed ? Boost.High_Pri_Device_Boost : Boost.Critical_Section_Boost,
          vm: r.currentVm(), flags: PEF.Wait_Not_Crit, callback: 'hangup', refData: 0,
        }));
      },
      hangup(r) {
        r.slot('hangup').write(0);
        r.state.carrierLost = false;
        r.state.hangups++;
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-crit-boost-never-runs (fixed)' : 'outside-crit-boost-never-runs',
    description: 'a priority event boosted to Critical_Section_Boost that waits for the critical section to be free: never satisfiable',
    vms: 1,
    devices: [modem, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default critBoostNeverRunsScenario(false);
