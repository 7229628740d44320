/**
 * Outside driver 23 (a deep race: three steps in one order): a mixer's `apply` programs the codec
 * with `busy` set. The volume knob's interrupt, finding the codec busy, parks the new level in a
 * two-word shadow (left, right) instead, and its author enabled interrupts first (`sti`, for the
 * other devices' latency) and reads the knob's channel (a service call) before each word. The
 * mute button's interrupt copies the shadow to the codec. Only when the knob interrupts `apply`,
 * and the mute button then interrupts the knob handler between its two words, does mute copy a
 * torn level (left new, right old). Each of the three is harmless alone, and in any other order.
 *
 * Fixed: the knob writes both words of the shadow with interrupts disabled, enabling them after.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const KNOB_IRQ = 10;
const MUTE_IRQ = 11;

interface MixerState { busy: boolean; level: number; shadowLeft: number; shadowRight: number; tornCopies: number }

export function tornShadowScenario(fixed: boolean): Scenario {
  const mixer = defineDevice<MixerState>({
    name: 'mixer',
    state: () => ({ busy: false, level: 0, shadowLeft: 0, shadowRight: 0, tornCopies: 0 }),
    irqs: [
      { irq: KNOB_IRQ, hwIntProc: 'knobTurned', meanIntervalTicks: 300 },
      { irq: MUTE_IRQ, hwIntProc: 'mutePressed', meanIntervalTicks: 300 },
    ],
    entries: ['apply', 'status'],
    procs: {
      knobTurned(r) {
        r.takeHardwareRequest(KNOB_IRQ);
        r.physEoi(r.irqHandle(KNOB_IRQ));
        const level = ++r.state.level;
        if (!r.state.busy) {
          r.state.shadowLeft = level;
          r.state.shadowRight = level;
          return;
        }
        if (fixed) {
          r.state.shadowLeft = level;
          r.state.shadowRight = level;
          r.sti();
          return;
        }
        r.sti(); // BUG: the shadow is written in two halves with interrupts enabled
        r.currentVm(); // the left channel's owner
        r.state.shadowLeft = level;
        r.currentVm(); // the right channel's owner
        r.state.shadowRight = level;
      },
      mutePressed(r) {
        r.takeHardwareRequest(MUTE_IRQ);
        r.physEoi(r.irqHandle(MUTE_IRQ));
        if (r.state.shadowLeft !== r.state.shadowRight) r.state.tornCopies++;
      },
      apply(r) {
        r.state.busy = true;
        r.currentVm(); // program the codec
        r.state.busy = false;
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-torn-shadow (fixed)' : 'outside-torn-shadow',
    description: 'knob interrupt inside apply, then mute interrupt between the knob handler\'s two shadow writes: three steps in one order',
    vms: 1,
    devices: [mixer, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    invariants: [{
      name: 'tornShadow',
      check: (view) => {
        const s = view.device<MixerState>('mixer');
        return s.tornCopies === 0 ? undefined : `mute copied a torn level ${s.tornCopies} time(s)`;
      },
    }],
    steps: 40,
  });
}

export default tornShadowScenario(false);
