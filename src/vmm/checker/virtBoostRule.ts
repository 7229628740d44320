/**
 * VPICD's Time_Critical_Boost lasts while VPICD simulates the interrupt, not for ever (SPEC §6:
 * a request into a VM that is not current boosts it, "VPICD uses this when simulating hardware
 * interrupts"). It comes off as soon as the VM is out of every simulated interrupt: at the
 * return (or the IRET time-out) that ends the last one, or when its requests are all cleared
 * before any was simulated. Those two records are followed at once by the unboost, so the rule
 * looks at the very next record only.
 */
import type { HistoryRecord, RecordOf } from '../history.js';
import type { Report } from './report.js';

export class VirtBoostEndRule {
  /** VMs holding Time_Critical_Boost. */
  private readonly boosted = new Set<number>();
  /** VM → its simulated interrupts not yet returned from nor timed out. */
  private readonly simulating = new Map<number, number>();
  /** VM → its virtual interrupt requests (bit n = IRQ n). */
  private readonly requests = new Map<number, number>();
  /** The VM whose boost the next record must remove; 0 when none is owed (the checker asks first). */
  owed = 0;

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.boosted.clear();
    this.simulating.clear();
    this.requests.clear();
    this.owed = 0;
  }

  /** The record right after one that ended the last simulated interrupt of a boosted VM. */
  next(r: HistoryRecord, report: Report): void {
    const vm = this.owed;
    this.owed = 0;
    if (r.k === 'boost' && r.reason === 'virtInt' && r.delta < 0 && r.targetVm === vm) return;
    report({ seq: r.seq, ticks: r.ticks, kind: 'virtBoostNotRemoved', message: `VM ${vm} kept Time_Critical_Boost after VPICD stopped simulating interrupts into it` });
  }

  boost(r: RecordOf<'boost'>): void {
    if (r.reason !== 'virtInt') return;
    if (r.delta > 0) this.boosted.add(r.targetVm);
    else this.boosted.delete(r.targetVm);
  }

  virtInt(r: RecordOf<'virtInt'>): void {
    this.simulating.set(r.targetVm, (this.simulating.get(r.targetVm) ?? 0) + 1);
  }

  virtIret(r: RecordOf<'virtIret'>): void {
    const left = (this.simulating.get(r.targetVm) ?? 0) - 1;
    this.simulating.set(r.targetVm, left);
    if (left <= 0) this.oweIfBoosted(r.targetVm);
  }

  virtRequest(r: RecordOf<'virtRequest'>): void {
    const mask = this.requests.get(r.targetVm) ?? 0;
    const now = r.op === 'set' ? mask | (1 << r.irq) : mask & ~(1 << r.irq);
    this.requests.set(r.targetVm, now);
    if (r.op === 'clear' && now === 0 && (this.simulating.get(r.targetVm) ?? 0) <= 0) this.oweIfBoosted(r.targetVm);
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    if (r.op !== 'destroy') return;
    this.simulating.delete(r.targetVm);
    this.requests.delete(r.targetVm);
  }

  private oweIfBoosted(vm: number): void {
    if (this.boosted.has(vm)) this.owed = vm;
  }
}
