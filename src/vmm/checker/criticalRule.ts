/**
 * The critical section (SPEC §5), from the records: one owner and a claim count; a claim only
 * when it is free or already the current VM's; a block only when another VM owns it; a release
 * only by the owner; Critical_Section_Boost on the first claim and off at the final release (or
 * when the owner is destroyed); a blocked VM never runs its code until it is unblocked.
 * A VM that blocks on a section whose owner is suspended gets a warning: the owner claimed it
 * while suspended (Suspend_VM refuses to suspend an owner, not an owner-to-be), and nothing can
 * release it until the owner is resumed; an outside audit's run stalled there in silence.
 * A section still owned when the run ends, by a VM that has owned it for most of the run, gets a
 * warning too (`runEnds`): a path that skips End_Critical_Section leaves the owner boosted above
 * every other VM for good, which no §7 check is about (an outside audit's leaking port ran 2.5
 * million steps with no task switch and no word). A warning, not a bug: a run may end inside a
 * long but legal hold.
 */
import type { RecordOf } from '../history.js';
import type { Report, Warn } from './report.js';
import type { CpuTracker } from './cpuTracker.js';
import { VmSet } from './vmSet.js';

const CRITICAL_SECTION_BOOST = 0x00100000;
/** A hold shorter than this (1 ms of virtual time, ~20 client steps) is never called long. */
const LONG_HOLD_TICKS_MIN = 1000;

export class CriticalSectionRule {
  private owner = 0;
  private count = 0;
  /** The VM holding Critical_Section_Boost, 0 if none. */
  private boosted = 0;
  private readonly blocked = new VmSet();
  private readonly suspended = new VmSet();
  /** When the owner's first claim was made (ticks) and its record. */
  private claimedTicks = 0;
  private claimedSeq = 0;

  constructor(private readonly cpu: CpuTracker) {}

  /** The VM owning the critical section, 0 if none. */
  get ownerVm(): number {
    return this.owner;
  }

  /** The VM is blocked on the critical section. */
  isBlocked(vm: number): boolean {
    return this.blocked.size !== 0 && this.blocked.has(vm);
  }

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.owner = this.count = this.boosted = 0;
    this.blocked.clear();
    this.suspended.clear();
  }

  boost(r: RecordOf<'boost'>, report: Report): void {
    if (r.reason !== 'critical') return;
    if (r.delta === CRITICAL_SECTION_BOOST) {
      if (this.boosted !== 0) report({ seq: r.seq, ticks: r.ticks, kind: 'criticalBoostTwice', message: `Critical_Section_Boost given to VM ${r.targetVm} while VM ${this.boosted} holds it` });
      this.boosted = r.targetVm;
    } else if (r.delta === -CRITICAL_SECTION_BOOST) {
      if (this.boosted !== r.targetVm) report({ seq: r.seq, ticks: r.ticks, kind: 'criticalUnboostUnbalanced', message: `Critical_Section_Boost removed from VM ${r.targetVm}, which did not hold it` });
      this.boosted = 0;
      // The section is free now (the final release, or its owner was destroyed).
      this.owner = 0;
      this.count = 0;
    } else {
      report({ seq: r.seq, ticks: r.ticks, kind: 'criticalBoostValue', message: `critical-section boost of ${r.delta}` });
    }
  }

  clientOp(r: RecordOf<'clientOp'>, report: Report): void {
    if (this.blocked.size === 0) return;
    const current = this.cpu.current;
    if (this.blocked.has(current)) report({ seq: r.seq, ticks: r.ticks, kind: 'blockedVmRan', message: `VM ${current} ran its code while blocked on the critical section` });
  }

  /** The run ends at `ticks`, before its shutdown (which releases a section a destroyed VM held). */
  runEnds(ticks: number, warn: Warn): void {
    const heldTicks = ticks - this.claimedTicks;
    if (this.owner === 0 || heldTicks < LONG_HOLD_TICKS_MIN || 2 * heldTicks < ticks) return;
    const waiting = this.blocked.size === 0 ? '' : `, with VM(s) ${this.blocked.sorted().join(', ')} blocked on it`;
    warn({
      seq: this.claimedSeq, ticks, kind: 'criticalHeldAtEnd',
      message: `VM ${this.owner} has owned the critical section since record ${this.claimedSeq} (${(heldTicks / 1000).toFixed(1)} of the run's ${(ticks / 1000).toFixed(1)} virtual ms, claim count ${this.count}) and still does at the run's end${waiting}: an End_Critical_Section skipped on some path, or a hold the run's end cut short (a request whose end the workload never reached)? Its Critical_Section_Boost keeps every other VM from running meanwhile`,
    });
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    if (r.op === 'suspend') this.suspended.add(r.targetVm);
    else if (r.op === 'resume' || r.op === 'destroy') this.suspended.delete(r.targetVm);
  }

  critical(r: RecordOf<'critical'>, report: Report, warn: Warn): void {
    const current = this.cpu.current;
    const { seq, ticks } = r;
    switch (r.op) {
      case 'claim':
        if (this.owner !== 0 && this.owner !== current) report({ seq, ticks, kind: 'criticalTwoOwners', message: `VM ${current} claimed the critical section VM ${this.owner} owns` });
        if (r.owner !== current) report({ seq, ticks, kind: 'criticalWrongOwner', message: `a claim by VM ${current} recorded VM ${r.owner} as owner` });
        if (this.owner !== current) {
          this.claimedTicks = ticks;
          this.claimedSeq = seq;
        }
        this.count = (this.owner === current ? this.count : 0) + 1;
        this.owner = current;
        if (r.count !== this.count) report({ seq, ticks, kind: 'criticalCount', message: `claim count ${r.count}, expected ${this.count}` });
        if (this.boosted !== current) report({ seq, ticks, kind: 'criticalNotBoosted', message: `VM ${current} owns the critical section without Critical_Section_Boost` });
        return;
      case 'block':
        if (this.owner === 0 || this.owner === current) report({ seq, ticks, kind: 'criticalBlockedWhenFree', message: `VM ${current} blocked on a critical section ${this.owner === 0 ? 'nobody' : 'it'} owns` });
        this.blocked.add(current);
        if (this.suspended.size !== 0 && this.suspended.has(this.owner)) {
          warn({ seq, ticks, kind: 'criticalOwnerSuspended', message: `VM ${current} waits for the critical section, owned by VM ${this.owner}, which is suspended (it claimed it while suspended): nothing releases it until VM ${this.owner} is resumed` });
        }
        return;
      case 'release':
        if (this.owner !== current) report({ seq, ticks, kind: 'criticalReleaseByOther', message: `VM ${current} released a critical section VM ${this.owner} owns` });
        this.count--;
        if (r.count !== this.count) report({ seq, ticks, kind: 'criticalCount', message: `release count ${r.count}, expected ${this.count}` });
        return;
      case 'unblock':
        if (this.owner !== 0) report({ seq, ticks, kind: 'criticalUnblockWhileOwned', message: `VM ${r.owner} unblocked while VM ${this.owner} still owns the critical section` });
        this.blocked.delete(r.owner);
        return;
    }
  }
}
