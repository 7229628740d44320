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
import { VmSet } from './vmSet.js';

export class VirtBoostEndRule {
  /** VMs holding Time_Critical_Boost. */
  private readonly boosted = new VmSet();
  /**
   * VM → its simulated interrupts not yet returned from nor timed out, and its virtual interrupt
   * requests (bit n = IRQ n); a VM not in the map has neither. One object per VM, changed in
   * place: a record costs one lookup.
   */
  private readonly vms = new Map<number, { simulating: number; requests: number }>();
  /** The VM whose boost the next record must remove; 0 when none is owed (the checker asks first). */
  owed = 0;

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.boosted.clear();
    // The map is only read by VM (get, set, delete): an entry of nothing is a VM not in it, so
    // the entries stay, emptied (a cleared Map is a new table, and each entry a new object).
    for (const vm of this.vms.values()) vm.simulating = vm.requests = 0;
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
    this.vm(r.targetVm).simulating++;
  }

  virtIret(r: RecordOf<'virtIret'>): void {
    const vm = this.vm(r.targetVm);
    vm.simulating--;
    if (vm.simulating <= 0) this.oweIfBoosted(r.targetVm);
  }

  virtRequest(r: RecordOf<'virtRequest'>): void {
    const vm = this.vm(r.targetVm);
    vm.requests = r.op === 'set' ? vm.requests | (1 << r.irq) : vm.requests & ~(1 << r.irq);
    if (r.op === 'clear' && vm.requests === 0 && vm.simulating <= 0) this.oweIfBoosted(r.targetVm);
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    if (r.op === 'destroy') this.vms.delete(r.targetVm);
  }

  private vm(id: number): { simulating: number; requests: number } {
    let vm = this.vms.get(id);
    if (vm === undefined) {
      vm = { simulating: 0, requests: 0 };
      this.vms.set(id, vm);
    }
    return vm;
  }

  private oweIfBoosted(vm: number): void {
    if (this.boosted.has(vm)) this.owed = vm;
  }
}
