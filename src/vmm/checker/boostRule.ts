/**
 * 'Boosts are balanced': every boost a priority event applies is removed exactly once (after
 * its callback, on cancel, on timeout) or kept on purpose by PEF_Dont_Unboost (SPEC §4, §7):
 * kept exactly when the event's flags have PEF_Dont_Unboost. The Time_Critical_Boost VPICD
 * gives a VM it requests an interrupt into while it is not current (SPEC §6) comes and goes in
 * pairs, and is in place before that VM takes the interrupt.
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';
import type { CpuTracker } from './cpuTracker.js';

const PEF_DONT_UNBOOST = 0x4;

type Report = (v: Omit<Violation, 'severity'>) => void;

export class BoostBalanceRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['boost', 'dispatch', 'cancel', 'discarded', 'processEnd', 'virtRequest', 'virtInt'];
  /** Handle → the flags of the priority event whose callback just ran. */
  private readonly endedFlags = new Map<number, number>();
  /** Boosts of Call_Priority_VM_Event calls running their callback at once, innermost last. */
  private readonly immediate: { vm: number; delta: number; flags: number }[] = [];
  /** VMs holding VPICD's Time_Critical_Boost. */
  private readonly virtBoosted = new Set<number>();
  /** VMs a request was made into while not current, not boosted yet. */
  private readonly owedBoost = new Set<number>();

  constructor(private readonly cpu: CpuTracker) {}
  /**
   * Handle → its boosts applied and not yet removed, oldest first; `ended` once the event is
   * over (dispatched, cancelled, discarded). Usually one per handle, but with `pooled` handles a
   * callback can schedule a new event on the node its own event just freed, before its own
   * boost comes off: then the ended boost and the new one share the handle.
   */
  private readonly boosts = new Map<number, { ended: boolean }[]>();

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    if (r.k === 'virtRequest' || r.k === 'virtInt' || (r.k === 'boost' && r.reason === 'virtInt')) return this.onVirtual(r, report, at);
    if (r.k === 'boost' && (r.reason === 'immediate' || r.reason === 'immediateKept')) return this.onImmediate(r, report, at);
    if (r.k === 'dispatch' && r.inline && r.kind === 'priority') {
      const top = this.immediate[this.immediate.length - 1];
      if (top !== undefined && top.flags < 0) top.flags = r.flags;
      return;
    }
    if (r.k === 'boost' && r.handle !== 0) {
      if (r.reason === 'kept' || r.reason === 'callback') {
        const flags = this.endedFlags.get(r.handle) ?? 0;
        this.endedFlags.delete(r.handle);
        const kept = r.reason === 'kept';
        if (kept !== ((flags & PEF_DONT_UNBOOST) !== 0)) {
          report({ ...at, kind: kept ? 'boostKeptWithoutDontUnboost' : 'dontUnboostIgnored', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} ${kept ? 'kept without' : 'removed despite'} PEF_Dont_Unboost` });
        }
      }
      const list = this.boosts.get(r.handle) ?? [];
      if (r.reason === 'schedule') {
        if (list.some((b) => !b.ended)) report({ ...at, kind: 'boostTwice', handle: r.handle, message: `event 0x${r.handle.toString(16)} boosted twice` });
        list.push({ ended: false });
        this.boosts.set(r.handle, list);
        return;
      }
      // After the callback (removed or kept) it is the ended event's boost; on cancel, discard
      // or timeout, the boost comes off before the event's end is recorded.
      const afterCallback = r.reason === 'callback' || r.reason === 'kept';
      const index = list.findIndex((b) => b.ended === afterCallback);
      if (index < 0) report({ ...at, kind: 'unboostUnbalanced', handle: r.handle, message: `boost of event 0x${r.handle.toString(16)} removed without being applied, or twice` });
      else list.splice(index, 1);
      if (list.length === 0) this.boosts.delete(r.handle);
      return;
    }
    if (r.k === 'dispatch' && !r.inline && r.kind === 'priority' && !r.timedOut) this.endedFlags.set(r.handle, r.flags);
    const ends = (r.k === 'dispatch' && !r.inline) || (r.k === 'cancel' && r.outcome === 'cancelled') || r.k === 'discarded';
    if (ends) {
      const live = this.boosts.get(r.handle)?.find((b) => !b.ended);
      if (live !== undefined) live.ended = true;
    }
    // A callback's boost comes off right after it returns, inside the same processing pass.
    if (r.k === 'processEnd') this.flush(report, at);
  }

  /** SPEC §4: "A call that runs the callback at once also boosts first ... and unboosts after, unless PEF_Dont_Unboost." */
  private onImmediate(r: Extract<HistoryRecord, { k: 'boost' }>, report: Report, at: { seq: number; ticks: number }): void {
    if (r.reason === 'immediate' && r.delta > 0) {
      this.immediate.push({ vm: r.targetVm, delta: r.delta, flags: -1 });
      return;
    }
    const top = this.immediate.pop();
    if (top === undefined || top.vm !== r.targetVm || (r.reason === 'immediate' && r.delta !== -top.delta)) {
      report({ ...at, kind: 'unboostUnbalanced', message: `immediate boost of VM ${r.targetVm} removed without being applied` });
      return;
    }
    const kept = r.reason === 'immediateKept';
    if (kept !== ((Math.max(0, top.flags) & PEF_DONT_UNBOOST) !== 0)) {
      report({ ...at, kind: kept ? 'boostKeptWithoutDontUnboost' : 'dontUnboostIgnored', message: `immediate boost of VM ${r.targetVm} ${kept ? 'kept without' : 'removed despite'} PEF_Dont_Unboost` });
    }
  }

  private onVirtual(r: HistoryRecord, report: Report, at: { seq: number; ticks: number }): void {
    if (r.k === 'virtRequest') {
      if (r.op === 'set' && r.targetVm !== this.cpu.current && !this.virtBoosted.has(r.targetVm)) this.owedBoost.add(r.targetVm);
      return;
    }
    if (r.k === 'virtInt') {
      if (this.owedBoost.delete(r.targetVm)) report({ ...at, kind: 'virtRequestNotBoosted', message: `VM ${r.targetVm} got an interrupt requested while it was not current, without Time_Critical_Boost` });
      return;
    }
    if (r.k !== 'boost') return;
    if (r.delta > 0) {
      if (this.virtBoosted.has(r.targetVm)) report({ ...at, kind: 'boostTwice', message: `VM ${r.targetVm} given Time_Critical_Boost twice` });
      this.virtBoosted.add(r.targetVm);
      this.owedBoost.delete(r.targetVm);
    } else if (!this.virtBoosted.delete(r.targetVm)) {
      report({ ...at, kind: 'unboostUnbalanced', message: `Time_Critical_Boost of VM ${r.targetVm} removed without being applied` });
    }
  }

  private flush(report: Report, at: { seq: number; ticks: number }): void {
    for (const [handle, list] of this.boosts) {
      if (!list.some((b) => b.ended)) continue;
      report({ ...at, kind: 'boostNeverRemoved', handle, message: `boost of ended event 0x${handle.toString(16)} never removed` });
      const live = list.filter((b) => !b.ended);
      if (live.length > 0) this.boosts.set(handle, live);
      else this.boosts.delete(handle);
    }
  }

  finish(report: Report): void {
    this.flush(report, { seq: -1, ticks: -1 });
  }
}
