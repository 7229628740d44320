/**
 * Outside driver 15 (a counter shared by the interrupt handler and an event callback, updated
 * without `cli`): a network card's interrupt counts received frames in `pending`; the `deliver`
 * callback reads the count, looks up the VM to hand the frames to (`Get_Cur_VM_Handle`, a service
 * call: interrupts are enabled in a callback, so an interrupt may be taken right there), then
 * stores 0. A frame counted by an interrupt inside that window is wiped out with the store.
 *
 * Fixed: `cli` around the read and the reset (and `sti` after), so no interrupt cuts in between.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 11;

interface NicState { received: number; pending: number; delivered: number }

export function sharedCounterScenario(fixed: boolean): Scenario {
  const nic = defineDevice<NicState>({
    name: 'nic',
    state: () => ({ received: 0, pending: 0, delivered: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'frameIn', meanIntervalTicks: 200 }],
    slots: ['deliver'],
    entries: ['status'],
    procs: {
      frameIn(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.received++;
        r.state.pending++;
        if (r.slot('deliver').read() !== 0) return;
        r.slot('deliver').write(r.scheduleGlobalEvent('deliver', 0));
      },
      deliver(r) {
        r.slot('deliver').write(0);
        if (fixed) r.cli();
        const frames = r.state.pending;
        r.currentVm(); // the VM the frames go to
        r.state.delivered += frames;
        r.state.pending = 0; // BUG without cli: a frame counted since the read is lost
        if (fixed) r.sti();
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-shared-counter (fixed)' : 'outside-shared-counter',
    description: 'an interrupt handler and an event callback update one counter; the callback reads and resets it around a service call without cli',
    vms: 1,
    devices: [nic, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'lostFrame',
      check: (view) => {
        const s = view.device<NicState>('nic');
        const lost = s.received - s.delivered - s.pending;
        return lost === 0 ? undefined : `${lost} received frame(s) neither delivered nor pending`;
      },
    }],
    steps: 40,
  });
}

export default sharedCounterScenario(false);
