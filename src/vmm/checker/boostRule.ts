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

const PEF_DONT_UNBOOST = 0x4;

/**
 * A handle's boosts are counted in one number: live (applied, event not over) plus ENDED times
 * the ended ones (event over, boost not yet removed). Only the counts matter to the rule, so a
 * number per handle replaces a list of flags: nothing is allocated per boost (the sum stays a
 * small integer V8 stores unboxed while fewer than 16 boosts are ended at once). Exact while a
 * handle has fewer than 2^26 live boosts, far beyond any run (one is the rule, two a bug).
 */
const ENDED = 1 << 26;
const liveOf = (boosts: number): number => boosts % ENDED;
const endedOf = (boosts: number): number => Math.floor(boosts / ENDED);

/** The immediate-boost stack holds three numbers per Call_Priority_VM_Event running at once. */
const VM = 0;
const DELTA = 1;
const FLAGS = 2;
const STRIDE = 3;

export class BoostBalanceRule {
  /** Handle → the flags of the priority event whose callback just ran. */
  private readonly endedFlags = new Map<number, number>();
  /** Boosts of Call_Priority_VM_Event calls running their callback at once, innermost last: VM, delta, flags (-1 until its dispatch is seen). */
  private readonly immediate: number[] = [];
  /** VMs holding VPICD's Time_Critical_Boost. */
  private readonly virtBoosted = new Set<number>();
  /** VMs a request was made into while not current, not boosted yet. */
  private readonly owedBoost = new Set<number>();
  /**
   * Handle → its boosts applied and not yet removed, counted (see ENDED), in the order the
   * handles were first boosted. Usually one per handle, but with `pooled` handles a callback
   * can schedule a new event on the node its own event just freed, before its own boost comes
   * off: then the ended boost and the new one share the handle.
   */
  private readonly boosts = new Map<number, number>();
  /** Ended boosts over all handles: a processing pass ends with none unless a boost was never removed. */
  private endedCount = 0;

  constructor(private readonly cpu: CpuTracker) {}

  boost(r: RecordOf<'boost'>, report: Report): void {
    const reason = r.reason;
    if (reason === 'virtInt') return this.virtBoost(r, report);
    if (reason === 'immediate' || reason === 'immediateKept') return this.onImmediate(r, report);
    if (r.handle === 0) return;
    if (reason === 'kept' || reason === 'callback') {
      const flags = this.endedFlags.get(r.handle) ?? 0;
      this.endedFlags.delete(r.handle);
      const kept = reason === 'kept';
      if (kept !== ((flags & PEF_DONT_UNBOOST) !== 0)) {
        report({ seq: r.seq, ticks: r.ticks, kind: kept ? 'boostKeptWithoutDontUnboost' : 'dontUnboostIgnored', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} ${kept ? 'kept without' : 'removed despite'} PEF_Dont_Unboost` });
      }
    }
    const boosts = this.boosts.get(r.handle) ?? 0;
    if (reason === 'schedule') {
      if (liveOf(boosts) > 0) report({ seq: r.seq, ticks: r.ticks, kind: 'boostTwice', handle: r.handle, message: `event 0x${r.handle.toString(16)} boosted twice` });
      this.boosts.set(r.handle, boosts + 1);
      return;
    }
    // After the callback (removed or kept) it is the ended event's boost; on cancel, discard
    // or timeout, the boost comes off before the event's end is recorded.
    const afterCallback = reason === 'callback' || reason === 'kept';
    const one = afterCallback ? ENDED : 1;
    const left = (afterCallback ? endedOf(boosts) : liveOf(boosts)) > 0 ? boosts - one : boosts;
    if (left !== boosts && afterCallback) this.endedCount--;
    if (left === boosts) report({ seq: r.seq, ticks: r.ticks, kind: 'unboostUnbalanced', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} removed without being applied, or twice` });
    if (left === 0) this.boosts.delete(r.handle);
    else if (left !== boosts) this.boosts.set(r.handle, left);
  }

  dispatch(r: RecordOf<'dispatch'>): void {
    if (r.kind === 'priority' && r.inline) {
      const n = this.immediate.length;
      if (n > 0 && this.immediate[n - STRIDE + FLAGS]! < 0) this.immediate[n - STRIDE + FLAGS] = r.flags;
      return;
    }
    if (r.inline) return;
    if (r.kind === 'priority' && !r.timedOut) this.endedFlags.set(r.handle, r.flags);
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
    const boosts = this.boosts.get(handle);
    if (boosts === undefined || liveOf(boosts) === 0) return;
    this.boosts.set(handle, boosts - 1 + ENDED);
    this.endedCount++;
  }

  /** SPEC §4: "A call that runs the callback at once also boosts first ... and unboosts after, unless PEF_Dont_Unboost." */
  private onImmediate(r: RecordOf<'boost'>, report: Report): void {
    const stack = this.immediate;
    if (r.reason === 'immediate' && r.delta > 0) {
      stack.push(r.targetVm, r.delta, -1);
      return;
    }
    const n = stack.length;
    const top = n - STRIDE;
    const matched = n > 0 && stack[top + VM] === r.targetVm && (r.reason !== 'immediate' || r.delta === -stack[top + DELTA]!);
    const flags = n > 0 ? stack[top + FLAGS]! : -1;
    if (n > 0) stack.length = top;
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
    for (const [handle, boosts] of this.boosts) {
      if (boosts < ENDED) continue;
      report({ seq, ticks, kind: 'boostNeverRemoved', handle, message: `boost of ended event 0x${handle.toString(16)} never removed` });
      const live = liveOf(boosts);
      if (live > 0) this.boosts.set(handle, live);
      else this.boosts.delete(handle);
    }
  }

  finish(report: Report): void {
    this.flush(report, -1, -1);
  }
}
