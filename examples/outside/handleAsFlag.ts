/**
 * Outside driver 14 (a saved handle used as the "already pending" flag, never zeroed by the
 * callback): a mouse driver's interrupt queues a packet and schedules `flush` only when its saved
 * handle is 0 ("an event is already on its way"). `flush` empties the queue but leaves the handle
 * in the word: after the first flush every later packet finds a non-zero handle, schedules
 * nothing, and the queue of three packets overflows. Needs three interrupts with a flush between
 * (no core rule sees it: the stale handle is never cancelled).
 *
 * Fixed: `flush` zeroes the saved handle first thing.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 12;
const QUEUE_PACKETS = 2;

interface MouseState { queued: number; flushed: number; overruns: number }

export function handleAsFlagScenario(fixed: boolean): Scenario {
  const mouse = defineDevice<MouseState>({
    name: 'pointer',
    state: () => ({ queued: 0, flushed: 0, overruns: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'packet', meanIntervalTicks: 200 }],
    slots: ['flush'],
    entries: ['status'],
    procs: {
      packet(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.state.queued === QUEUE_PACKETS) r.state.overruns++;
        else r.state.queued++;
        if (r.slot('flush').read() !== 0) return; // "a flush is already on its way"
        r.slot('flush').write(r.scheduleGlobalEvent('flush', 0));
      },
      flush(r) {
        if (fixed) r.slot('flush').write(0);
        r.state.flushed += r.state.queued;
        r.state.queued = 0;
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-handle-as-flag (fixed)' : 'outside-handle-as-flag',
    description: 'the saved handle doubles as a pending flag and the callback never zeroes it: later packets schedule nothing',
    vms: 1,
    devices: [mouse, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'queueOverrun',
      check: (view) => {
        const s = view.device<MouseState>('pointer');
        return s.overruns === 0 ? undefined : `${s.overruns} packet(s) dropped on a full queue`;
      },
    }],
    steps: 40,
  });
}

export default handleAsFlagScenario(false);
