/**
 * Outside driver 10 (the xchg idiom done wrong: the handle read, cancelled, then zeroed, without
 * `cli`): `disarm` cancels `[tick]` and zeroes the word after the cancel. The cancel is a
 * preemption point: an interrupt there finds the word empty (no tick pending), schedules a new
 * tick and saves its handle, which the `write(0)` after the cancel then wipes. Nothing can cancel
 * that tick any more, and it fires after `disarm`.
 *
 * Fixed: interrupts off around taking and cancelling the handle (`cli` / `xchg` / cancel /
 * `sti`), and the armed flag cleared inside that window.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 15;

interface TimerQState { armed: boolean; ticks: number; ticksWhileDisarmed: number }

export function cancelThenZeroScenario(fixed: boolean): Scenario {
  const timerq = defineDevice<TimerQState>({
    name: 'timerq',
    state: () => ({ armed: false, ticks: 0, ticksWhileDisarmed: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'expire', meanIntervalTicks: 200 }],
    slots: ['tick'],
    entries: ['arm', 'disarm'],
    procs: {
      expire(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (!r.state.armed || r.slot('tick').read() !== 0) return;
        r.slot('tick').write(r.callGlobalEvent('tick', 0));
      },
      tick(r) {
        r.slot('tick').write(0);
        r.state.ticks++;
        if (!r.state.armed) r.state.ticksWhileDisarmed++;
      },
      arm(r) {
        r.state.armed = true;
      },
      disarm(r) {
        if (fixed) {
          r.cli();
          const handle = r.slot('tick').xchg(0);
          r.state.armed = false;
          r.cancelGlobalEvent(handle);
          r.sti();
          return;
        }
        r.cancelGlobalEvent(r.slot('tick').read());
        r.slot('tick').write(0);
        r.state.armed = false;
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-cancel-then-zero (fixed)' : 'outside-cancel-then-zero',
    description: 'the saved handle zeroed after the cancel instead of taken by xchg under cli',
    vms: 1,
    devices: [timerq, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'tickWhileDisarmed',
      check: (view) => {
        const s = view.device<TimerQState>('timerq');
        return s.ticksWhileDisarmed === 0 ? undefined : `${s.ticksWhileDisarmed} tick(s) after disarm`;
      },
    }],
    steps: 40,
  });
}

export default cancelThenZeroScenario(false);
