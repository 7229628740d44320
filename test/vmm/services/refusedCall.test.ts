// SPEC §4: "A refused call must never return ESI = 0, which means 'the callback already ran'
// (model choice: ESI = 0 is never the answer of a refused call; the refusal sets the carry flag
// and is reported)." A driver tests the refusal with `jc`: the flag itself, after the call.
import { describe, expect, it } from 'vitest';
import { EFLAGS_CF } from '../../../src/shared/clientRegs.js';
import { Boost, PEF } from '../../../src/vmm/constants.js';
import { testDevice, type TestRing0 } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

interface Answer { esi: number; carry: boolean }

/** Each refused request, and the device bug that names why. */
const REFUSED: [string, string, (r: TestRing0) => void][] = [
  ['reserved PEF bits', 'reservedFlags', (r) => void r.callPriorityVmEvent({ boost: 0, vm: r.currentVm(), flags: 0x100, callback: 'cb', refData: 0 })],
  ['a boost out of range', 'boostOutOfRange', (r) => void r.callPriorityVmEvent({ boost: Boost.Reserved_High_Boost, vm: r.currentVm(), flags: 0, callback: 'cb', refData: 0 })],
  ['EBX that is no VM', 'invalidVmHandle', (r) => void r.callPriorityVmEvent({ boost: 0, vm: 0x1234, flags: 0, callback: 'cb', refData: 0 })],
];

function run(issue: (r: TestRing0) => void) {
  const answers: Answer[] = [];
  const dev = testDevice('dev', {
    call(r) {
      r.regs.eflags &= ~EFLAGS_CF;
      issue(r);
      answers.push({ esi: r.regs.esi, carry: (r.regs.eflags & EFLAGS_CF) !== 0 });
    },
    cb: () => {},
  }, { entries: ['call'] });
  const m = machine({ devices: [dev] });
  m.runOps(1, m.trap('dev', 'call'));
  return { m, answers };
}

describe('a refused Call_Priority_VM_Event (SPEC §4, model choice)', () => {
  it.each(REFUSED)('%s: reported, carry set, ESI not 0, nothing scheduled or run', (_name, kind, issue) => {
    const { m, answers } = run(issue);
    expect(m.violations(kind)).toHaveLength(1);
    expect(answers).toHaveLength(1);
    expect(answers[0]!.carry).toBe(true);
    expect(answers[0]!.esi).not.toBe(0);
    expect(m.of('scheduled')).toEqual([]);
    expect(m.of('dispatch')).toEqual([]);
    expect(m.finish().vmmBugs).toBe(0);
  });

  it('an accepted call clears the carry flag ("The event services report success with the carry flag clear")', () => {
    const { m, answers } = run((r) => void r.callPriorityVmEvent({ boost: Boost.Low_Pri_Device_Boost, vm: r.currentVm(), flags: PEF.Always_Sched, callback: 'cb', refData: 0 }));
    expect(answers).toEqual([{ esi: m.of('scheduled')[0]!.handle, carry: false }]);
  });
});
