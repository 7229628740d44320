// The checker's own bookkeeping, kept compact for speed (boosts counted per handle, a stack of
// numbers for immediate boosts, the current VM's virtual PIC remembered, frames as integers),
// must judge exactly as the SPEC says, and survive a snapshot (src/state forks the checker
// between steps).
import { describe, expect, it } from 'vitest';
import { InvariantChecker } from '../../../src/vmm/checker/checker.js';
import { PEF } from '../../../src/vmm/constants.js';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import { restoreSnapshot, takeSnapshot } from '../../../src/state/snapshot.js';
import {
  H, H2, SNAPSHOT, begin, boost, calledNow, check, dispatch, end, globalRun, irqIn, irqOut, eoi, op, rec, result, ret,
  scheduled, service, taskSwitch, trap, trapRet, virtInt, virtRequest,
} from './streams.js';

const kinds = (stream: Partial<HistoryRecord>[]): string[] => check(stream).violations.map((v) => v.kind);

/** A Call_Priority_VM_Event that runs its callback at once, with `inner` inside the callback. */
function immediateCall(flags: number, delta: number, inner: Partial<HistoryRecord>[] = []): Partial<HistoryRecord>[] {
  const kept = (flags & PEF.Dont_Unboost) !== 0;
  return [
    service('Call_Priority_VM_Event'), boost(0, delta, 'immediate'),
    calledNow({ kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1 }),
    dispatch(0, { kind: 'priority', targetVm: 1, flags, state: SNAPSHOT }), ...inner, ret(0),
    kept ? boost(0, 0, 'immediateKept') : boost(0, -delta, 'immediateEnd'), result('Call_Priority_VM_Event', 0),
  ];
}

describe('the checker\'s compact state', () => {
  // SPEC §4: "A call that runs the callback at once also boosts first ... and unboosts after, unless PEF_Dont_Unboost."
  it('nested immediate calls: each unboost is judged by its own call\'s PEF_Dont_Unboost', () => {
    expect(kinds(immediateCall(PEF.Dont_Unboost, 16, immediateCall(0, 8)))).toEqual([]);
    const swapped = [...immediateCall(0, 16, immediateCall(PEF.Dont_Unboost, 8))];
    // the inner call keeps its boost (correct), the outer removes it (correct): clean too
    expect(kinds(swapped)).toEqual([]);
    // an inner call that keeps its boost without PEF_Dont_Unboost, inside one that has it
    const wrong = immediateCall(PEF.Dont_Unboost, 16, immediateCall(0, 8).map((r) => (r.k === 'boost' && r.delta === -8 ? boost(0, 0, 'immediateKept') : r)));
    expect(kinds(wrong)).toEqual(['boostKeptWithoutDontUnboost']);
  });

  it('an immediate unboost of another VM than the innermost call boosted is unbalanced', () => {
    expect(kinds([boost(0, 16, 'immediate', 1), boost(0, -16, 'immediateEnd', 2)])).toEqual(['unboostUnbalanced']);
  });

  // SPEC §4: "Boosts (EAX, signed, added to the VM's execution priority)": a negative boost's
  // start has a negative delta and its end a positive one; the record's reason says which.
  it('a negative immediate boost, and one nested in a positive one of the same size, are balanced', () => {
    expect(kinds(immediateCall(0, -1))).toEqual([]);
    expect(kinds(immediateCall(0, 8, immediateCall(0, -8)))).toEqual([]);
    expect(kinds(immediateCall(0, -8, immediateCall(PEF.Dont_Unboost, 8)))).toEqual([]);
  });

  it('an immediate end with no immediate boost before it is unbalanced, whatever its sign', () => {
    expect(kinds([boost(0, 1, 'immediateEnd', 1)])).toEqual(['unboostUnbalanced']);
    expect(kinds([boost(0, -1, 'immediateEnd', 1)])).toEqual(['unboostUnbalanced']);
  });

  it('a boost never removed is reported once, at the end of its pass; the next pass is clean', () => {
    const never = [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: 16 }), boost(H, 16, 'schedule'),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, state: SNAPSHOT }), ret(H), end(1),
    ];
    const checker = check([...never, ...globalRun(H2)]);
    expect(checker.violations.map((v) => [v.kind, v.handle, v.seq])).toEqual([['boostNeverRemoved', H, 5]]);
  });

  it('a boost that comes off after its callback is not one of a live event: removing it twice is unbalanced', () => {
    expect(kinds([
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: 16 }), boost(H, 16, 'schedule'),
      begin(), dispatch(H, { kind: 'priority', targetVm: 1, state: SNAPSHOT }), ret(H), boost(H, -16, 'callback'), boost(H, -16, 'callback'), end(1),
    ])).toEqual(['unboostUnbalanced']);
  });

  // SPEC §6: a request "not simulated immediately if ... The virtual machine is suspended, or not able to run"
  it('a destroyed VM\'s virtual PIC is forgotten, even the current VM\'s', () => {
    const pending = [taskSwitch(1, 2, { vm: 2 }), virtRequest(3, 2)];
    const run = op({ op: 'run', ticks: 1 });
    expect(kinds([...pending, run])).toEqual(['virtIntNotSimulated']);
    // The virtual PIC says nothing; the destroyed VM still current and running is a VMM bug of its
    // own (notExecutableRule.ts: the VMM switches away before VM_Not_Executeable).
    expect(kinds([...pending, rec('vmLifecycle', { op: 'destroy', targetVm: 2 }), run])).toEqual(['notExecutableCurrent', 'notExecutableScheduled']);
  });

  it('the virtual PIC looked up last is the one that changes: a request into another VM does not leak into the current one', () => {
    expect(kinds([virtRequest(3, 2), op({ op: 'run', ticks: 1 }), virtInt(3, 1)])).toEqual(['virtIntNotAllowed']);
  });

  it('frames: an interrupt that nests in a trap handler counts in the re-enter count only until it exits', () => {
    expect(kinds([trap(), irqIn(4, true), eoi(4), irqOut(4), service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0), trapRet()])).toEqual([]);
    expect(kinds([trap(), irqIn(4, true), service('Call_Global_Event'), calledNow(), dispatch(0), ret(0), result('Call_Global_Event', 0), eoi(4), irqOut(4), trapRet()])).toEqual(['calledNowReentered']);
  });

  it('restored from a snapshot taken mid-stream, a checker gives the verdicts it gave the first time', () => {
    const prefix = [
      scheduled(H, { kind: 'priority', service: 'Call_Priority_VM_Event', targetVm: 1, boost: 16 }), boost(H, 16, 'schedule'),
      taskSwitch(1, 2, { vm: 2 }), virtRequest(3, 2), trap(),
    ];
    const rest = [trapRet(), op({ op: 'run', ticks: 1 }), taskSwitch(2, 1), begin(), dispatch(H, { kind: 'priority', targetVm: 1, state: SNAPSHOT }), ret(H), end(1)];
    const checker = new InvariantChecker();
    const feed = (records: Partial<HistoryRecord>[], from: number): void => {
      records.forEach((r, i) => checker.onRecord({ ticks: (from + i) * 10, ...r, seq: from + i } as HistoryRecord));
    };
    feed(prefix, 0);
    // open then: a trap frame, a live boost, VM 2 current with a request it could take
    const before = JSON.stringify(checker.violations);
    const saved = takeSnapshot({ checker }, new Map());
    feed(rest, prefix.length);
    const first = JSON.stringify(checker.violations);
    expect(checker.violations.map((v) => v.kind)).toEqual(['virtIntNotSimulated', 'virtIntNotSimulated', 'boostNeverRemoved']);
    restoreSnapshot({ checker }, saved, new Map());
    expect(JSON.stringify(checker.violations)).toBe(before);
    feed(rest, prefix.length);
    expect(JSON.stringify(checker.violations)).toBe(first);
  });
});
