// SPEC §3 "The callback contract": "A global or VM event callback may modify EAX, EBX, ECX, EDX,
// ESI, EDI. It must preserve EBP, ESP and the segment registers. Priority-event callbacks may
// also modify the flags." A priority callback that returns other arithmetic flags than it was
// called with (the direction flag aside: SPEC §7) is no device bug.
import { describe, expect, it } from 'vitest';
import { Boost, PEF } from '../../../src/vmm/constants.js';
import { testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

/** CF, PF, AF, ZF, SF, OF. */
const ARITHMETIC_FLAGS = 0x8d5;

function setup() {
  const dev = testDevice('dev', {
    schedule: (r) => void r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Always_Sched, callback: 'flip', refData: 0 }),
    now: (r) => void r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: 0, callback: 'flip', refData: 0 }),
    flip(r) {
      r.state.entered = (r.state.entered ?? 0) + 1;
      r.regs.eflags ^= ARITHMETIC_FLAGS;
    },
  }, { entries: ['schedule', 'now'] });
  return machine({ devices: [dev] });
}

describe('priority-event callbacks and the flags', () => {
  it.each(['schedule', 'now'])('"Priority-event callbacks may also modify the flags": a callback run from the queue or inside the call (%s) is no device bug', (entry) => {
    const m = setup();
    m.runOps(1, m.trap('dev', entry), { op: 'run', ticks: 1 });
    expect(m.state<Record<string, number>>('dev').entered).toBe(1);
    expect(m.of('dispatch')).toHaveLength(1);
    expect(m.finish().violations).toEqual([]);
  });
});
