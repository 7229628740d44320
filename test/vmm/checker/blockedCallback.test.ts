// The checker on callbacks that block on the critical section (SPEC §5: Begin_Critical_Section
// "blocks another VM that asks for it"; the DDK's Call_Global_Event: "The callback procedure can
// carry out any actions, and use any VMM services"). SPEC §7: "every scheduled event is dispatched
// exactly once or cancelled, never both, never twice"; "a global callback runs in the VM that was
// current, with no task switch"; "a VM event runs in its VM". A restart is not a second dispatch,
// the task switch while the VM sleeps is allowed, and a restart runs in the VM that blocked, with
// the section free or its own.
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import {
  begin, boost, check, critical, CSB, dispatch, end, H, H2, op, rec, ret, scheduled, taskSwitch, VM1, VM2, type Body, type Where,
} from './streams.js';

type Blocking = Body<'blockedCallback'>;
const blocking = (op: Blocking['op'], handle: number, over: Partial<Blocking>, where: Where) => rec('blockedCallback', {
  op, kind: 'global', handle, callback: 'dev.cb', targetVm: 0, timedOut: false, flags: 0, blockedVm: 2, effects: 0, ...over,
}, where);
const blocked = (handle: number, over: Partial<Blocking> = {}, where: Where = { vm: 2 }) => blocking('block', handle, over, where);
const restart = (handle: number, over: Partial<Blocking> = {}, where: Where = { vm: 2 }) => blocking('restart', handle, over, where);
const dropped = (handle: number, blockedVm = 2) => blocking('drop', handle, { blockedVm }, {});
/** A record of the op given (the stream's records are partial). */
const isOp = (r: Partial<HistoryRecord>, op: Blocking['op']) => r.k === 'blockedCallback' && (r as Blocking).op === op;
const destroy = (vm: number) => rec('vmLifecycle', { op: 'destroy', targetVm: vm });

/** VM 1 owns the section; VM 2 is current and its global callback blocks; the pass switches to VM 1. */
const blockIn2: Partial<HistoryRecord>[] = [
  boost(0, CSB, 'critical', 1), critical('claim', 1, 1), taskSwitch(1, 2, { vm: 2 }),
  scheduled(H, {}, { vm: 2 }), begin({ vm: 2 }), dispatch(H, { ebx: VM2 }, { vm: 2 }), critical('block', 1, 1), blocked(H), taskSwitch(2, 1), end(1),
];
/** VM 1 releases the section; the next pass switches to VM 2, whose callback runs again and claims it. */
const releaseAndRestart: Partial<HistoryRecord>[] = [
  critical('release', 1, 0), boost(0, -CSB, 'critical', 1), critical('unblock', 2, 0),
  begin(), taskSwitch(1, 2, { vm: 2 }), restart(H), boost(0, CSB, 'critical', 2), critical('claim', 2, 1), ret(H, { vm: 2 }), end(0, { vm: 2 }),
];

/** A global event scheduled in VM 1, a pass begun. */
const globalBefore = (handle: number): Partial<HistoryRecord>[] => [scheduled(handle), begin()];

function kinds(stream: Partial<HistoryRecord>[]): string[] {
  return check(stream).violations.map((v) => v.kind);
}

describe('a callback that blocks on the critical section, as the checker reads it', () => {
  it('dispatched once, blocked, a task switch while it sleeps, then run again in its VM with the section free: clean', () => {
    expect(kinds([...blockIn2, ...releaseAndRestart])).toEqual([]);
  });

  it('a callback with effects before its block: a warning, not a violation', () => {
    const withEffects = [...blockIn2, ...releaseAndRestart].map((r) => (isOp(r, 'block') ? blocked(H, { effects: 2 }) : r));
    const checker = check(withEffects);
    expect(checker.violations).toEqual([]);
    expect(checker.warnings.map((w) => w.kind)).toEqual(['restartRepeatsCalls']);
  });

  it('a second dispatch instead of a restart is caught ("never twice")', () => {
    const twice = releaseAndRestart.map((r) => (isOp(r, 'restart') ? dispatch(H, { ebx: VM2 }, { vm: 2 }) : r));
    expect(kinds([...blockIn2, ...twice])).toContain('dispatchNotPending');
  });

  it('a restart in another VM than the one that blocked is caught', () => {
    const wrongVm = [
      critical('release', 1, 0), boost(0, -CSB, 'critical', 1), critical('unblock', 2, 0),
      begin(), restart(H, {}, { vm: 1 }), ret(H), end(0),
    ];
    expect(kinds([...blockIn2, ...wrongVm])).toContain('restartNotBlocked');
  });

  it('a restart while another VM still owns the section is caught', () => {
    const early = [begin(), taskSwitch(1, 2, { vm: 2 }), restart(H), ret(H, { vm: 2 }), end(0, { vm: 2 })];
    expect(kinds([...blockIn2, ...early])).toContain('restartWhileOwned');
  });

  it('a block of a callback a Call_XX_Event ran inside the call is caught', () => {
    const inline = [
      boost(0, CSB, 'critical', 1), critical('claim', 1, 1), taskSwitch(1, 2, { vm: 2 }),
      dispatch(0, { ebx: VM2, inline: true }, { vm: 2 }), critical('block', 1, 1), blocked(0),
    ];
    expect(kinds(inline)).toContain('blockNotInDispatchedCallback');
  });

  it('the VM runs its code before its blocked callback ran again: caught', () => {
    const skipped = [critical('release', 1, 0), boost(0, -CSB, 'critical', 1), critical('unblock', 2, 0), taskSwitch(1, 2, { vm: 2 }), op({ op: 'run', ticks: 1 })];
    expect(kinds([...blockIn2, ...skipped])).toContain('blockedCallbackSkipped');
  });

  // Two global events pending in VM 2's pass; the first one's callback blocks there.
  const twoGlobals: Partial<HistoryRecord>[] = [
    boost(0, CSB, 'critical', 1), critical('claim', 1, 1), taskSwitch(1, 2, { vm: 2 }),
    scheduled(H, {}, { vm: 2 }), scheduled(H2, {}, { vm: 2 }), begin({ vm: 2 }), dispatch(H, { ebx: VM2 }, { vm: 2 }), critical('block', 1, 1), blocked(H),
  ];

  it('a global event pending: the task switch away from the VM asleep in its callback comes first, and the event runs in the next VM: clean', () => {
    expect(kinds([...twoGlobals, taskSwitch(2, 1), dispatch(H2, { ebx: VM1 }), ret(H2), end(2), ...releaseAndRestart])).toEqual([]);
    // Away from a VM that is not asleep in a callback, the same switch is still caught.
    expect(kinds([...globalBefore(H2), taskSwitch(1, 2, { vm: 2 })])).toContain('taskSwitchBeforeGlobalEvent');
  });

  it('a global event run in the VM asleep in its blocked callback is caught (an outside audit: the second took the first one\'s place)', () => {
    expect(kinds([...twoGlobals, dispatch(H2, { ebx: VM2 }, { vm: 2 }), ret(H2, { vm: 2 })])).toContain('dispatchInSleepingVm');
  });

  it('a global event run in the VM unblocked before its callback ran again is caught', () => {
    const globalFirst = [
      critical('release', 1, 0), boost(0, -CSB, 'critical', 1), critical('unblock', 2, 0),
      scheduled(H2), begin(), taskSwitch(1, 2, { vm: 2 }), dispatch(H2, { ebx: VM2 }, { vm: 2 }), ret(H2, { vm: 2 }),
    ];
    expect(kinds([...blockIn2, ...globalFirst])).toContain('blockedCallbackSkipped');
  });

  it('a VM destroyed with its blocked callback: dropped is clean; destroyed without the drop is caught', () => {
    expect(kinds([...blockIn2, dropped(H), destroy(2)])).toEqual([]);
    expect(kinds([...blockIn2, destroy(2)])).toContain('blockedCallbackLost');
    expect(kinds([...blockIn2, dropped(H, 3)])).toContain('dropNotBlocked');
  });

  it('a restart that changes the carry flag of its dispatch is caught', () => {
    const changed = releaseAndRestart.map((r) => (isOp(r, 'restart') ? restart(H, { timedOut: true }) : r));
    expect(kinds([...blockIn2, ...changed])).toContain('restartChanged');
  });
});
