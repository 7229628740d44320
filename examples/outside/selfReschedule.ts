/**
 * Outside driver 7 (an event re-scheduling itself for ever from its own callback): a network
 * card's "busy" interrupt asks for a `poll` VM event; `poll` re-schedules itself for the same
 * VM until the card is ready, but only the VM's own `io` trap makes it ready. Events scheduled
 * during processing run in the same pass (SPEC §3), so the pass never ends: a livelock, cut by
 * the livelock bound. Any interrupt shows it.
 *
 * Fixed: `poll` does not re-schedule; the `io` trap, which makes the card ready, does the work.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 11;

export function selfRescheduleScenario(fixed: boolean): Scenario {
  const nic = defineDevice<{ ready: boolean; polls: number; served: number }>({
    name: 'nic',
    state: () => ({ ready: true, polls: 0, served: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'busy', meanIntervalTicks: 300 }],
    entries: ['io'],
    procs: {
      busy(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.ready = false;
        r.scheduleVmEvent(r.regs.ebx, 'poll', 0);
      },
      poll(r) {
        r.state.polls++;
        if (r.state.ready) {
          r.state.served++;
          return;
        }
        if (!fixed) r.scheduleVmEvent(r.regs.ebx, 'poll', 0);
      },
      io(r) {
        r.state.ready = true;
        r.state.served++;
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-self-reschedule (fixed)' : 'outside-self-reschedule',
    description: 'a VM event callback re-schedules itself until a flag only ring-3 code sets',
    vms: 1,
    devices: [nic, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    config: { livelockBound: 64 },
    steps: 40,
  });
}

export default selfRescheduleScenario(false);
