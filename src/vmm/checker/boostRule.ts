/**
 * 'Boosts are balanced': every boost a priority event applies is removed exactly once (after
 * its callback, on cancel, on timeout) or kept on purpose by PEF_Dont_Unboost (SPEC §4, §7):
 * kept exactly when the event's flags have PEF_Dont_Unboost. The Time_Critical_Boost VPICD
 * gives a VM it requests an interrupt into while it is not current (SPEC §6) comes and goes in
 * pairs, and is in place before that VM takes the interrupt.
 */
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';
import type { CpuTracker } from './cpuTracker.js';
import { HOLDER, type LiveEvent, type LiveEventTable } from './liveEvents.js';
import { VmSet } from './vmSet.js';

const PEF_DONT_UNBOOST = 0x4;

/** The immediate-boost stack holds three numbers per Call_Priority_VM_Event running at once. */
const VM = 0;
const DELTA = 1;
const FLAGS = 2;
const STRIDE = 3;

export class BoostBalanceRule {
  /**
   * Boosts of Call_Priority_VM_Event calls running their callback at once, innermost last: VM,
   * delta, flags (-1 until its dispatch is seen); the first `immediateEnd` numbers are in use
   * (the array never shrinks, so popping allocates nothing).
   */
  private readonly immediate: number[] = [];
  private immediateEnd = 0;
  /** VMs holding VPICD's Time_Critical_Boost. */
  private readonly virtBoosted = new VmSet();
  /** VMs a request was made into while not current, not boosted yet. */
  private readonly owedBoost = new VmSet();
  /**
   * The handles with boosts applied and not yet removed (entries held as HOLDER.boosted, with
   * their live and ended boosts counted), in the order they were first boosted: a list through
   * the entries. Usually one boost per handle, but with `pooled` handles a callback can
   * schedule a new event on the node its own event just freed, before its own boost comes
   * off: then the ended boost and the new one share the handle. The flags of a priority event
   * whose callback just ran are held as HOLDER.endedFlags.
   */
  private first: LiveEvent | null = null;
  private last: LiveEvent | null = null;
  /** Ended boosts over all handles: a processing pass ends with none unless a boost was never removed. */
  private endedCount = 0;

  constructor(
    private readonly cpu: CpuTracker,
    private readonly events: LiveEventTable,
  ) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.immediateEnd = 0;
    this.virtBoosted.clear();
    this.owedBoost.clear();
    this.first = this.last = null;
    this.endedCount = 0;
  }

  boost(r: RecordOf<'boost'>, report: Report): void {
    const reason = r.reason;
    if (reason === 'virtInt') return this.virtBoost(r, report);
    if (reason === 'immediate' || reason === 'immediateEnd' || reason === 'immediateKept') return this.onImmediate(r, report);
    if (r.handle === 0) return;
    const afterCallback = reason === 'callback' || reason === 'kept';
    if (afterCallback) this.judgeKept(r, reason === 'kept', report);
    const e = this.boosted(r.handle);
    if (reason === 'schedule') {
      if (e !== null && e.liveBoosts > 0) report({ seq: r.seq, ticks: r.ticks, kind: 'boostTwice', handle: r.handle, message: `event 0x${r.handle.toString(16)} boosted twice` });
      (e ?? this.append(r.handle)).liveBoosts++;
      return;
    }
    // After the callback (removed or kept) it is the ended event's boost; on cancel, discard
    // or timeout, the boost comes off before the event's end is recorded.
    if (e === null || (afterCallback ? e.endedBoosts : e.liveBoosts) === 0) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'unboostUnbalanced', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} removed without being applied, or twice` });
      return;
    }
    if (afterCallback) {
      e.endedBoosts--;
      this.endedCount--;
    } else e.liveBoosts--;
    if (e.liveBoosts === 0 && e.endedBoosts === 0) this.unlink(e);
  }

  /** A boost that came off (or stayed) after its callback: kept exactly when the event's flags have PEF_Dont_Unboost. */
  private judgeKept(r: RecordOf<'boost'>, kept: boolean, report: Report): void {
    const e = this.events.find(r.handle);
    let flags = 0;
    if (e !== null && (e.holders & HOLDER.endedFlags) !== 0) {
      flags = e.endedFlags;
      this.events.release(e, HOLDER.endedFlags);
    }
    if (kept !== ((flags & PEF_DONT_UNBOOST) !== 0)) {
      report({ seq: r.seq, ticks: r.ticks, kind: kept ? 'boostKeptWithoutDontUnboost' : 'dontUnboostIgnored', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} ${kept ? 'kept without' : 'removed despite'} PEF_Dont_Unboost` });
    }
  }

  /** The entry of a handle with boosts, or null. */
  private boosted(handle: number): LiveEvent | null {
    const e = this.events.find(handle);
    return e !== null && (e.holders & HOLDER.boosted) !== 0 ? e : null;
  }

  private append(handle: number): LiveEvent {
    const e = this.events.hold(handle, HOLDER.boosted);
    e.liveBoosts = 0;
    e.endedBoosts = 0;
    e.prevBoosted = this.last;
    e.nextBoosted = null;
    if (this.last === null) this.first = e;
    else this.last.nextBoosted = e;
    this.last = e;
    return e;
  }

  private unlink(e: LiveEvent): void {
    const { prevBoosted: prev, nextBoosted: next } = e;
    if (prev === null) this.first = next;
    else prev.nextBoosted = next;
    if (next === null) this.last = prev;
    else next.prevBoosted = prev;
    e.prevBoosted = e.nextBoosted = null;
    this.events.release(e, HOLDER.boosted);
  }

  dispatch(r: RecordOf<'dispatch'>): void {
    if (r.kind === 'priority' && r.inline) {
      const n = this.immediateEnd;
      if (n > 0 && this.immediate[n - STRIDE + FLAGS]! < 0) this.immediate[n - STRIDE + FLAGS] = r.flags;
      return;
    }
    if (r.inline) return;
    if (r.kind === 'priority' && !r.timedOut) this.events.hold(r.handle, HOLDER.endedFlags).endedFlags = r.flags;
    this.ended(r.handle);
  }

  cancel(r: RecordOf<'cancel'>): void {
    if (r.outcome === 'cancelled') this.ended(r.handle);
  }

  discarded(r: RecordOf<'discarded'>): void {
    this.ended(r.handle);
  }

  /** A callback's boost comes off right after it returns, inside the same processing pass. */
  processEnd(r: RecordOf<'processEnd'>, report: Report): void {
    this.flush(report, r.seq, r.ticks);
  }

  /** The event is over: one of its live boosts becomes an ended one. */
  private ended(handle: number): void {
    const e = this.boosted(handle);
    if (e === null || e.liveBoosts === 0) return;
    e.liveBoosts--;
    e.endedBoosts++;
    this.endedCount++;
  }

  /**
   * SPEC §4: "A call that runs the callback at once also boosts first ... and unboosts after,
   * unless PEF_Dont_Unboost." The boost is `immediate`, its end `immediateEnd` (or
   * `immediateKept`): told apart by the reason, since a boost may be negative ("signed").
   */
  private onImmediate(r: RecordOf<'boost'>, report: Report): void {
    const stack = this.immediate;
    if (r.reason === 'immediate') {
      const end = this.immediateEnd;
      stack[end + VM] = r.targetVm;
      stack[end + DELTA] = r.delta;
      stack[end + FLAGS] = -1;
      this.immediateEnd = end + STRIDE;
      return;
    }
    const n = this.immediateEnd;
    const top = n - STRIDE;
    const matched = n > 0 && stack[top + VM] === r.targetVm && (r.reason === 'immediateKept' || r.delta === -stack[top + DELTA]!);
    const flags = n > 0 ? stack[top + FLAGS]! : -1;
    if (n > 0) this.immediateEnd = top;
    if (!matched) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'unboostUnbalanced', message: `immediate boost of VM ${r.targetVm} removed without being applied` });
      return;
    }
    const kept = r.reason === 'immediateKept';
    if (kept !== ((Math.max(0, flags) & PEF_DONT_UNBOOST) !== 0)) {
      report({ seq: r.seq, ticks: r.ticks, kind: kept ? 'boostKeptWithoutDontUnboost' : 'dontUnboostIgnored', message: `immediate boost of VM ${r.targetVm} ${kept ? 'kept without' : 'removed despite'} PEF_Dont_Unboost` });
    }
  }

  virtRequest(r: RecordOf<'virtRequest'>): void {
    if (r.op === 'set' && r.targetVm !== this.cpu.current && !this.virtBoosted.has(r.targetVm)) this.owedBoost.add(r.targetVm);
  }

  virtInt(r: RecordOf<'virtInt'>, report: Report): void {
    if (this.owedBoost.size > 0 && this.owedBoost.delete(r.targetVm)) report({ seq: r.seq, ticks: r.ticks, kind: 'virtRequestNotBoosted', message: `VM ${r.targetVm} got an interrupt requested while it was not current, without Time_Critical_Boost` });
  }

  private virtBoost(r: RecordOf<'boost'>, report: Report): void {
    if (r.delta > 0) {
      if (this.virtBoosted.has(r.targetVm)) report({ seq: r.seq, ticks: r.ticks, kind: 'boostTwice', message: `VM ${r.targetVm} given Time_Critical_Boost twice` });
      this.virtBoosted.add(r.targetVm);
      this.owedBoost.delete(r.targetVm);
    } else if (!this.virtBoosted.delete(r.targetVm)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'unboostUnbalanced', message: `Time_Critical_Boost of VM ${r.targetVm} removed without being applied` });
    }
  }

  private flush(report: Report, seq: number, ticks: number): void {
    if (this.endedCount === 0) return;
    this.endedCount = 0;
    for (let e = this.first; e !== null; ) {
      const next = e.nextBoosted;
      if (e.endedBoosts > 0) {
        report({ seq, ticks, kind: 'boostNeverRemoved', handle: e.handle, message: `boost of ended event 0x${e.handle.toString(16)} never removed` });
        e.endedBoosts = 0;
        if (e.liveBoosts === 0) this.unlink(e);
      }
      e = next;
    }
  }

  finish(report: Report): void {
    this.flush(report, -1, -1);
  }
}
