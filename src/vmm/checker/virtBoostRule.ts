/**
 * VPICD's Time_Critical_Boost lasts while VPICD simulates the interrupt, not for ever (SPEC §6:
 * a request into a VM that is not current boosts it, "VPICD uses this when simulating hardware
 * interrupts"). It comes off as soon as the VM is out of every simulated interrupt and has no
 * request VPICD could still simulate (set and unmasked): at the return (or the IRET time-out)
 * that ends the last one, at the clear of the last such request, or at the mask of the last
 * one. Those records are followed at once by the unboost, so the rule looks at the very next
 * record only. (A boost kept while a request waits is what the model owes too: the VM runs soon.)
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
  private readonly vms = new Map<number, { simulating: number; requests: number; masked: number }>();
  /**
   * The VM whose next record is judged; 0 when none is (the checker asks first): its boost owed
   * (`removalOwed`: the next record removes it), or removed while a request waited, which only
   * its destruction may explain (then the next record destroys it: the VMM drops a dying VM's
   * boost with its requests, at `removedAt`).
   */
  owed = 0;
  private removalOwed = true;
  private removedAt = { seq: 0, ticks: 0 };

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.boosted.clear();
    // The map is only read by VM (get, set, delete): an entry of nothing is a VM not in it, so
    // the entries stay, emptied (a cleared Map is a new table, and each entry a new object).
    for (const vm of this.vms.values()) vm.simulating = vm.requests = vm.masked = 0;
    this.owed = 0;
    this.removalOwed = true;
  }

  /** The record right after one that ended the last simulated interrupt of a boosted VM. */
  next(r: HistoryRecord, report: Report): void {
    const vm = this.owed;
    this.owed = 0;
    if (!this.removalOwed) {
      this.removalOwed = true;
      if (r.k === 'vmLifecycle' && r.op === 'destroy' && r.targetVm === vm) return;
      const { seq, ticks } = this.removedAt;
      report({ seq, ticks, kind: 'virtBoostRemovedEarly', message: `VM ${vm} lost Time_Critical_Boost while VPICD still had an interrupt to simulate into it` });
      return;
    }
    if (r.k === 'boost' && r.reason === 'virtInt' && r.delta < 0 && r.targetVm === vm) return;
    report({ seq: r.seq, ticks: r.ticks, kind: 'virtBoostNotRemoved', message: `VM ${vm} kept Time_Critical_Boost after VPICD stopped simulating interrupts into it` });
  }

  /**
   * A boost removed while VPICD still simulates into the VM, or could (a request waits), is a VMM
   * bug unless the VM is destroyed next (judged at the next record).
   */
  boost(r: RecordOf<'boost'>): void {
    if (r.reason !== 'virtInt') return;
    if (r.delta > 0) {
      this.boosted.add(r.targetVm);
      return;
    }
    this.boosted.delete(r.targetVm);
    const vm = this.vms.get(r.targetVm);
    if (vm === undefined || (vm.simulating <= 0 && (vm.requests & ~vm.masked) === 0)) return;
    this.owed = r.targetVm;
    this.removalOwed = false;
    this.removedAt = { seq: r.seq, ticks: r.ticks };
  }

  virtInt(r: RecordOf<'virtInt'>): void {
    this.vm(r.targetVm).simulating++;
  }

  virtIret(r: RecordOf<'virtIret'>): void {
    const vm = this.vm(r.targetVm);
    vm.simulating--;
    this.oweIfDone(r.targetVm, vm);
  }

  virtRequest(r: RecordOf<'virtRequest'>): void {
    const vm = this.vm(r.targetVm);
    vm.requests = r.op === 'set' ? vm.requests | (1 << r.irq) : vm.requests & ~(1 << r.irq);
    if (r.op === 'clear') this.oweIfDone(r.targetVm, vm);
  }

  virtMask(r: RecordOf<'virtMask'>): void {
    const vm = this.vm(r.targetVm);
    vm.masked = r.masked ? vm.masked | (1 << r.irq) : vm.masked & ~(1 << r.irq);
    if (r.masked) this.oweIfDone(r.targetVm, vm);
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    if (r.op === 'destroy') this.vms.delete(r.targetVm);
  }

  private vm(id: number): { simulating: number; requests: number; masked: number } {
    let vm = this.vms.get(id);
    if (vm === undefined) {
      vm = { simulating: 0, requests: 0, masked: 0 };
      this.vms.set(id, vm);
    }
    return vm;
  }

  /** Out of every simulated interrupt, with no request left to simulate: a boosted VM's boost is owed. */
  private oweIfDone(id: number, vm: { simulating: number; requests: number; masked: number }): void {
    if (vm.simulating <= 0 && (vm.requests & ~vm.masked) === 0 && this.boosted.has(id)) this.owed = id;
  }
}
