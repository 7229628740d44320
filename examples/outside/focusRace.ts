/**
 * Outside driver 30 (a `Set_Device_Focus` race): a keypad sends each key to the focus VM as a VM
 * event. Its `Set_Device_Focus` handler cancels the old owner's pending event (xchg idiom, right)
 * and only then moves the focus. The cancel is a preemption point (SPEC §5b: control messages
 * "are preemption points like any device code"): a key interrupt there schedules a new event for
 * the old owner, which nothing cancels, and the key reaches a VM that no longer has the focus.
 * Needs one interrupt at one point of the focus change.
 *
 * Fixed: the focus moves first, under `cli`, and the handle is taken in the same window.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 9;

interface KeypadState { focus: number; pendingVm: number; keys: number; keysToUnfocused: number }

export function focusRaceScenario(fixed: boolean): Scenario {
  const keypad = defineDevice<KeypadState>({
    name: 'keypad',
    state: () => ({ focus: 0, pendingVm: 0, keys: 0, keysToUnfocused: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'keyInt', meanIntervalTicks: 150 }],
    slots: ['key'],
    control: { Sys_Critical_Init: 'initFocus', Set_Device_Focus: 'onFocus' },
    entries: ['poll'],
    procs: {
      keyInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.slot('key').read() !== 0) return;
        r.state.pendingVm = r.state.focus;
        r.slot('key').write(r.scheduleVmEvent(r.state.focus, 'deliverKey', 0));
      },
      deliverKey(r) {
        r.slot('key').write(0);
        r.state.keys++;
        if (r.regs.ebx !== r.state.focus) r.state.keysToUnfocused++;
      },
      initFocus(r) {
        r.state.focus = r.regs.ebx;
      },
      onFocus(r) {
        const newFocus = r.regs.ebx;
        if (fixed) {
          r.cli();
          r.state.focus = newFocus;
          const handle = r.slot('key').xchg(0);
          const oldVm = r.state.pendingVm;
          r.sti();
          r.cancelVmEvent(oldVm, handle);
          return;
        }
        r.cancelVmEvent(r.state.pendingVm, r.slot('key').xchg(0));
        r.state.focus = newFocus;
      },
      poll(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-focus-race (fixed)' : 'outside-focus-race',
    description: 'Set_Device_Focus cancels the old owner\'s key event before it moves the focus',
    vms: 3,
    devices: [keypad, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    config: { timesliceTicks: 100 },
    lifecycle: [{ atStep: 6, op: 'focus', vm: 2 }, { atStep: 14, op: 'focus', vm: 3 }, { atStep: 22, op: 'focus', vm: 1 }],
    invariants: [{
      name: 'keyToUnfocusedVm',
      check: (view) => {
        const s = view.device<KeypadState>('keypad');
        return s.keysToUnfocused === 0 ? undefined : `${s.keysToUnfocused} key(s) delivered to a VM that had lost the focus`;
      },
    }],
    steps: 30,
  });
}

export default focusRaceScenario(false);
