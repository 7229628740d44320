/**
 * A user scenario: a sound card driver with a race, and the invariant that catches it.
 *
 * The card interrupts (IRQ 5) each time it has played a DMA block. While the driver is playing,
 * the interrupt handler asks for the next block with Call_Global_Event('refill'): called at once
 * when the interrupt arrived while a VM ran, scheduled (handle saved) when it interrupted ring-0
 * code. `stop` cancels the pending refill with the DDK idiom (xchg, then Cancel_Global_Event)
 * and then clears `playing`.
 *
 * The race: an interrupt that lands inside `stop`, after the xchg and before `playing` is
 * cleared, still sees `playing` and schedules a refill that nothing cancels. It runs at the
 * processing point on the way out of `stop`: a refill after the card was stopped. The VMM sees
 * nothing wrong (every event ran or was cancelled exactly once); the driver's own invariant
 * does. The fix: clear `playing` first, then take and cancel the handle.
 *
 *   npx vmmsim explore examples/scenarios/flaky-driver.ts --strategy pct --iterations 2000
 */
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';

const IRQ = 5;

export interface SoundState {
  playing: boolean;
  blocksPlayed: number;
  refills: number;
  refillsWhileStopped: number;
}

export const sound = defineDevice<SoundState>({
  name: 'sound',
  state: () => ({ playing: false, blocksPlayed: 0, refills: 0, refillsWhileStopped: 0 }),
  // The card raises IRQ 5 every 300 virtual microseconds or so while it plays.
  irqs: [{ irq: IRQ, hwIntProc: 'blockDone', meanIntervalTicks: 300 }],
  // The saved handle of the pending refill: a word the xchg idiom works on.
  slots: ['refill'],
  // What VM code can trap into (port I/O to the card, say).
  entries: ['start', 'stop', 'status'],
  procs: {
    blockDone(r) {
      r.takeHardwareRequest(IRQ);
      r.physEoi(r.irqHandle(IRQ));
      r.state.blocksPlayed++;
      if (!r.state.playing) return;
      const handle = r.callGlobalEvent('refill', r.state.blocksPlayed);
      if (handle !== 0) r.slot('refill').write(handle);
    },
    refill(r) {
      r.slot('refill').write(0); // the callback's first act: its handle is stale from now on
      r.state.refills++;
      if (!r.state.playing) r.state.refillsWhileStopped++;
    },
    start(r) {
      r.state.playing = true;
      r.currentVm();
    },
    stop(r) {
      r.currentVm(); // which VM stops the card (a service call: an IRQ may cut in here too)
      r.cancelGlobalEvent(r.slot('refill').xchg(0));
      r.state.playing = false; // BUG: too late; an interrupt at the cancel above still saw `playing`
    },
    status(r) {
      r.currentVm();
      r.sysVm();
    },
  },
});

export default defineScenario({
  name: 'flaky-driver',
  description: 'a sound driver whose stop races its own refill interrupt',
  vms: 2,
  devices: [sound],
  // Mostly traps into the driver, short computations between them.
  mix: { run: 30, trap: 60, interruptFlag: 5, iret: 0, eoi: 0, mask: 0, mode: 0, runTicksMean: 40 },
  invariants: [{
    name: 'refillAfterStop',
    check: (view) => {
      const s = view.device<SoundState>('sound');
      return s.refillsWhileStopped === 0 ? undefined : `${s.refillsWhileStopped} refill(s) ran after the card was stopped`;
    },
  }],
  steps: 60,
});
