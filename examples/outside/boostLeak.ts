/**
 * Outside driver 6 (a priority boost taken and not released): a MIDI driver sends bytes from a
 * priority event for the system VM with `PEF_Dont_Unboost`, so that the VM stays boosted while
 * bytes are queued; the callback removes the boost with `Adjust_Exec_Priority` when it has sent
 * the queue. The transmit-ready interrupt also drains the queue, and when it did, the callback
 * returns early, before the unboost: the system VM keeps High_Pri_Device_Boost for ever. Needs
 * the interrupt between the schedule and the dispatch (in `send`'s ring-0 code after the call).
 *
 * Fixed: the callback always removes the boost it kept.
 */
import { Boost, defineDevice, defineScenario, PEF, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 10;

interface MidiState { queued: number; sent: number; eventPending: boolean }

export function boostLeakScenario(fixed: boolean): Scenario {
  const midi = defineDevice<MidiState>({
    name: 'midi',
    state: () => ({ queued: 0, sent: 0, eventPending: false }),
    irqs: [{ irq: IRQ, hwIntProc: 'txReady', meanIntervalTicks: 300 }],
    entries: ['send'],
    procs: {
      txReady(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.sent += r.state.queued;
        r.state.queued = 0;
      },
      sendQueued(r) {
        r.state.eventPending = false;
        if (r.state.queued === 0 && !fixed) return; // BUG: the kept boost stays
        r.state.sent += r.state.queued;
        r.state.queued = 0;
        r.adjustExecPriority(r.regs.ebx, -Boost.High_Pri_Device_Boost);
      },
      send(r) {
        r.state.queued++;
        if (!r.state.eventPending) {
          r.state.eventPending = true;
          r.callPriorityVmEvent({
            boost: Boost.High_Pri_Device_Boost, vm: r.sysVm(), flags: PEF.Dont_Unboost | PEF.Always_Sched,
            callback: 'sendQueued', refData: 0,
          });
        }
        r.currentVm(); // update the status port: ring-0 work after the schedule
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-boost-leak (fixed)' : 'outside-boost-leak',
    description: 'a PEF_Dont_Unboost callback returns early and never removes its boost',
    vms: 2,
    devices: [midi, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'boostLeaked',
      check: (view) => {
        if (view.device<MidiState>('midi').eventPending) return undefined;
        // High_Pri_Device_Boost units below Critical_Section_Boost: only this driver adds them.
        const held = (view.vm(1)?.boost ?? 0) % Boost.Critical_Section_Boost;
        return held >= Boost.High_Pri_Device_Boost ? `the system VM keeps a boost of 0x${held.toString(16)} with no MIDI event pending` : undefined;
      },
    }],
    steps: 40,
  });
}

export default boostLeakScenario(false);
