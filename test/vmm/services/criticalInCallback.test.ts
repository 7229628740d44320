// Event callbacks that block on the critical section. The DDK's Call_Global_Event: "The callback
// procedure can carry out any actions, and use any VMM services." SPEC §5: Begin_Critical_Section
// "claims it ... and blocks another VM that asks for it". A callback a processing pass dispatched
// may therefore block: its VM keeps it and runs it again from the start once the section is free
// (README "Model choices"), and the event is dispatched exactly once (SPEC §7).
import { describe, expect, it } from 'vitest';
import { Boost, PEF } from '../../../src/vmm/constants.js';
import { destroyVm } from '../../../src/vmm/services/vmControl.js';
import { bump, testDevice } from '../../support/devices.js';
import { machine } from '../../support/machine.js';

function setup(vms = 3) {
  const dev = testDevice('dos', {
    enter: (r) => r.beginCriticalSection(),
    leave: (r) => r.endCriticalSection(),
    // EAX = the VM id to make time-critical (above Critical_Section_Boost).
    urgent: (r) => r.adjustExecPriority(r.vmHandles()[r.regs.eax - 1]!, Boost.Time_Critical_Boost),
    calm: (r) => r.adjustExecPriority(r.vmHandles()[r.regs.eax - 1]!, -Boost.Time_Critical_Boost),
    global: (r) => void r.scheduleGlobalEvent('claim', 7),
    twoGlobals: (r) => {
      r.scheduleGlobalEvent('claim', 7);
      r.scheduleGlobalEvent('claim', 8);
    },
    vmEvent: (r) => void r.scheduleVmEvent(r.vmHandles()[r.regs.eax - 1]!, 'claim', 8),
    priority: (r) => void r.callPriorityVmEvent({ boost: Boost.High_Pri_Device_Boost, vm: r.vmHandles()[r.regs.eax - 1]!, flags: PEF.Always_Sched, callback: 'claim', refData: 9 }),
    timed: (r) => void r.callPriorityVmEvent({
      boost: Boost.Low_Pri_Device_Boost, vm: r.vmHandles()[r.regs.eax - 1]!, flags: PEF.Wait_For_STI | PEF.Time_Out, callback: 'claim', refData: 10, timeoutMs: 1,
    }),
    effectsFirst: (r) => void r.scheduleGlobalEvent('notifyThenClaim', 11),
    inline: (r) => void r.callGlobalEvent('claim', 12),
    claim(r) {
      r.beginCriticalSection(); // a blocking service first: a blocked callback is run again from the start
      const vm = r.vmHandles().indexOf(r.currentVm()) + 1;
      bump(r, `ran${vm}`);
      if (r.carry) bump(r, `carry${vm}`);
    },
    notifyThenClaim(r) {
      bump(r, 'notified');
      r.scheduleGlobalEvent('noop', 0); // an effect before the block: the restart makes it again
      r.beginCriticalSection();
      bump(r, 'claimedAfterNotify');
    },
    noop: () => {},
    tick: () => {},
  });
  const m = machine({ devices: [dev], config: { vms } });
  return { m, state: m.state<Record<string, number>>('dos') };
}

/** The machine's blockedCallback records of one op. */
function blocking(m: ReturnType<typeof setup>['m'], op: 'block' | 'restart' | 'drop') {
  return m.of('blockedCallback').filter((r) => r.op === op);
}

/** VM 1 owns the section; VM `vm` is made time-critical, so it runs next although VM 1 is boosted. */
function ownedBy1(m: ReturnType<typeof setup>['m'], vm = 2): void {
  m.runOps(1, m.trap('dos', 'enter'), m.trap('dos', 'urgent', vm));
  expect(m.vmm.current.id).toBe(vm);
}

describe('an event callback blocks on the critical section and runs again', () => {
  it('a global event\'s callback blocks in the current VM, the pass goes on in another VM, and it completes once, in its VM, owning the section', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'global'));
    expect(m.vm(2).blockedOnCritical).toBe(true);
    expect(m.vm(2).blockedCallback).toMatchObject({ kind: 'global', refData: 7 });
    expect(blocking(m, 'block')).toMatchObject([{ kind: 'global', callback: 'dos.claim', vm: 2, effects: 0 }]);
    expect(m.vmm.current.id).not.toBe(2); // the scheduler runs another VM while VM 2 sleeps
    m.runOps(1, { op: 'run', ticks: 1 });
    expect(state.ran2).toBeUndefined();
    m.runOps(1, m.trap('dos', 'leave'));
    expect(state.ran2).toBe(1);
    expect(m.vmm.critOwner?.id).toBe(2);
    const handle = m.of('dispatch').find((d) => d.callback === 'dos.claim')!.handle;
    expect(m.of('dispatch').filter((d) => d.handle === handle && !d.inline)).toHaveLength(1); // "dispatched exactly once"
    expect(blocking(m, 'restart')).toMatchObject([{ kind: 'global', handle, vm: 2 }]);
    expect(m.of('return').filter((r) => r.handle === handle)).toHaveLength(1);
    expect(m.vm(2).blockedCallback).toBeNull();
    expect(m.finish().violations).toEqual([]);
    expect(m.checker.warnings).toEqual([]);
  });

  // An outside audit: the second global callback of the pass was dispatched into the VM that
  // already slept in the first, blocked too, and took its place: the first was never completed.
  it('two global callbacks of one pass that would block: nothing more runs in the VM the first blocked in; both complete, once each', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'twoGlobals'));
    const [first, ...others] = m.of('dispatch').filter((d) => d.callback === 'dos.claim');
    expect(blocking(m, 'block')[0]).toMatchObject({ handle: first!.handle, vm: 2 });
    // "Global events run before returning to any VM", but not in a VM asleep in ring 0: the
    // scheduler switched first, the second global event still pending.
    expect(others.every((d) => d.vm !== 2)).toBe(true);
    expect(m.vmm.current.id).not.toBe(2);
    expect(others).toMatchObject([{ vm: 1, refData: 8 }]); // in VM 1, the owner: a second claim of its own
    m.runOps(1, m.trap('dos', 'leave'), m.trap('dos', 'leave'));
    m.runOps(2, { op: 'run', ticks: 1 });
    const claims = m.of('dispatch').filter((d) => d.callback === 'dos.claim');
    expect(claims.map((d) => d.refData).sort()).toEqual([7, 8]);
    for (const d of claims) expect(m.of('return').filter((r) => r.handle === d.handle)).toHaveLength(1); // each completed once
    expect(state.ran2).toBe(1);
    expect(m.finish().violations).toEqual([]);
  });

  it('a VM event\'s callback blocks and runs again in its VM ("VM events run only when their VM is about to run")', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'vmEvent', 2));
    expect(blocking(m, 'block')).toMatchObject([{ kind: 'vm', targetVm: 2, vm: 2 }]);
    m.runOps(1, m.trap('dos', 'leave'));
    expect(state.ran2).toBe(1);
    expect(blocking(m, 'restart')).toMatchObject([{ kind: 'vm', targetVm: 2, vm: 2 }]);
    expect(m.vmm.critOwner?.id).toBe(2);
    expect(m.finish().violations).toEqual([]);
  });

  it('a priority event\'s callback blocks and runs again in its VM; its boost comes off when it first leaves', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'priority', 2));
    expect(blocking(m, 'block')).toMatchObject([{ kind: 'priority', targetVm: 2, vm: 2 }]);
    const boosts = m.of('boost').filter((b) => b.delta === Boost.High_Pri_Device_Boost || b.delta === -Boost.High_Pri_Device_Boost);
    expect(boosts.map((b) => b.reason)).toEqual(['schedule', 'callback']);
    m.runOps(1, m.trap('dos', 'leave'));
    expect(state.ran2).toBe(1);
    expect(blocking(m, 'restart')).toMatchObject([{ kind: 'priority', targetVm: 2, vm: 2, flags: PEF.Always_Sched }]);
    expect(m.vmm.critOwner?.id).toBe(2);
    expect(m.finish().violations).toEqual([]);
  });

  it('a timed-out priority event ("entered with the carry flag set") blocks and runs again with carry still set', () => {
    const { m, state } = setup();
    ownedBy1(m);
    // VM 2's own event waits for its interrupts (PEF_Wait_For_STI), which stay disabled: it times out.
    m.runOps(2, { op: 'cli' }, m.trap('dos', 'timed', 2), { op: 'run', ticks: 5000 }, m.trap('dos', 'tick'));
    const blocked = blocking(m, 'block');
    expect(blocked).toHaveLength(1);
    expect(blocked[0]).toMatchObject({ kind: 'priority', targetVm: 2, vm: 2 });
    expect(m.of('dispatch').find((d) => d.callback === 'dos.claim')?.timedOut).toBe(true);
    const blockedIn = blocked[0]!.vm;
    m.runOps(1, m.trap('dos', 'leave'));
    m.step(4);
    expect(blocking(m, 'restart')).toMatchObject([{ timedOut: true, vm: blockedIn }]);
    expect(state[`carry${blockedIn}`]).toBe(1);
    expect(m.finish().violations).toEqual([]);
  });

  it('unblocked, but another VM claimed the section before it ran: the VM blocks again without running its callback ("blocks another VM that asks for it")', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'global'));
    // VM 2 loses its boost; VM 1 releases (VM 2 is unblocked but does not run) and makes VM 3 time-critical.
    m.runOps(1, m.trap('dos', 'calm', 2), m.trap('dos', 'leave'), m.trap('dos', 'urgent', 3));
    expect(m.vm(2).blockedOnCritical).toBe(false);
    m.runOps(3, m.trap('dos', 'enter'), m.trap('dos', 'urgent', 2), m.trap('dos', 'calm', 3));
    // VM 2 (Time_Critical_Boost) now outranks the owner, VM 3 (Critical_Section_Boost): it is current, and blocks again.
    expect(m.vmm.critOwner?.id).toBe(3);
    expect(m.vm(2).blockedOnCritical).toBe(true);
    expect(blocking(m, 'restart')).toEqual([]);
    expect(m.of('critical').filter((c) => c.op === 'block').map((c) => [c.vm, c.owner])).toEqual([[2, 1], [2, 3]]);
    expect(state.ran2).toBeUndefined();
    m.runOps(3, m.trap('dos', 'leave'));
    m.step(2);
    expect(state.ran2).toBe(1);
    expect(blocking(m, 'restart')).toMatchObject([{ vm: 2 }]);
    expect(m.vmm.critOwner?.id).toBe(2);
    expect(m.finish().violations).toEqual([]);
  });

  it('a callback that made a call with an effect before it blocked gets a warning naming it: its restart makes the call again', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'effectsFirst'));
    expect(blocking(m, 'block')).toMatchObject([{ callback: 'dos.notifyThenClaim', effects: 1 }]);
    m.runOps(1, m.trap('dos', 'leave'));
    expect(state.notified).toBe(2);
    expect(state.claimedAfterNotify).toBe(1);
    expect(m.of('scheduled').filter((s) => s.callback === 'dos.noop')).toHaveLength(2);
    expect(m.finish().violations).toEqual([]);
    expect(m.checker.warnings).toHaveLength(1);
    expect(m.checker.warnings[0]).toMatchObject({ kind: 'restartRepeatsCalls' });
    expect(m.checker.warnings[0]!.message).toMatch(/^dos\.notifyThenClaim made 1 service call\(s\) with an effect before it blocked/);
  });

  it('a VM destroyed while blocked in a callback: the callback is dropped and recorded, and nothing runs in the dead VM', () => {
    const { m, state } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'global'));
    expect(m.vm(2).blockedCallback).not.toBeNull();
    destroyVm(m.vmm, 2);
    expect(blocking(m, 'drop')).toMatchObject([{ kind: 'global', callback: 'dos.claim', blockedVm: 2 }]);
    m.runOps(1, m.trap('dos', 'leave'));
    m.step(4);
    expect(state.ran2).toBeUndefined();
    expect(blocking(m, 'restart')).toEqual([]);
    expect(m.finish().violations).toEqual([]);
  });

  it('a callback a Call_XX_Event runs inside the call may not block (it is reported: blockOutsideTrap)', () => {
    const { m } = setup();
    ownedBy1(m);
    m.runOps(2, m.trap('dos', 'inline'));
    expect(m.violations('blockOutsideTrap')).toHaveLength(1);
    expect(m.vm(2).blockedOnCritical).toBe(false);
    expect(blocking(m, 'block')).toEqual([]);
  });
});
