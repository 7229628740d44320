/**
 * The critical section (SPEC §5), from the records: one owner and a claim count; a claim only
 * when it is free or already the current VM's; a block only when another VM owns it; a release
 * only by the owner; Critical_Section_Boost on the first claim and off at the final release (or
 * when the owner is destroyed); a blocked VM never runs its code until it is unblocked.
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';
import type { CpuTracker } from './cpuTracker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

const CRITICAL_SECTION_BOOST = 0x00100000;

export class CriticalSectionRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['critical', 'boost', 'clientOp'];
  private owner = 0;
  private count = 0;
  /** The VM holding Critical_Section_Boost, 0 if none. */
  private boosted = 0;
  private readonly blocked = new Set<number>();

  constructor(private readonly cpu: CpuTracker) {}

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    const current = this.cpu.current;
    switch (r.k) {
      case 'boost':
        if (r.reason !== 'critical') return;
        if (r.delta === CRITICAL_SECTION_BOOST) {
          if (this.boosted !== 0) report({ ...at, kind: 'criticalBoostTwice', message: `Critical_Section_Boost given to VM ${r.targetVm} while VM ${this.boosted} holds it` });
          this.boosted = r.targetVm;
        } else if (r.delta === -CRITICAL_SECTION_BOOST) {
          if (this.boosted !== r.targetVm) report({ ...at, kind: 'criticalUnboostUnbalanced', message: `Critical_Section_Boost removed from VM ${r.targetVm}, which did not hold it` });
          this.boosted = 0;
          // The section is free now (the final release, or its owner was destroyed).
          this.owner = 0;
          this.count = 0;
        } else {
          report({ ...at, kind: 'criticalBoostValue', message: `critical-section boost of ${r.delta}` });
        }
        return;
      case 'critical':
        this.onCritical(r, report, at, current);
        return;
      case 'clientOp':
        if (this.blocked.has(current)) report({ ...at, kind: 'blockedVmRan', message: `VM ${current} ran its code while blocked on the critical section` });
        return;
      default:
        return;
    }
  }

  private onCritical(r: Extract<HistoryRecord, { k: 'critical' }>, report: Report, at: { seq: number; ticks: number }, current: number): void {
    switch (r.op) {
      case 'claim':
        if (this.owner !== 0 && this.owner !== current) report({ ...at, kind: 'criticalTwoOwners', message: `VM ${current} claimed the critical section VM ${this.owner} owns` });
        if (r.owner !== current) report({ ...at, kind: 'criticalWrongOwner', message: `a claim by VM ${current} recorded VM ${r.owner} as owner` });
        this.count = (this.owner === current ? this.count : 0) + 1;
        this.owner = current;
        if (r.count !== this.count) report({ ...at, kind: 'criticalCount', message: `claim count ${r.count}, expected ${this.count}` });
        if (this.boosted !== current) report({ ...at, kind: 'criticalNotBoosted', message: `VM ${current} owns the critical section without Critical_Section_Boost` });
        return;
      case 'block':
        if (this.owner === 0 || this.owner === current) report({ ...at, kind: 'criticalBlockedWhenFree', message: `VM ${current} blocked on a critical section ${this.owner === 0 ? 'nobody' : 'it'} owns` });
        this.blocked.add(current);
        return;
      case 'release':
        if (this.owner !== current) report({ ...at, kind: 'criticalReleaseByOther', message: `VM ${current} released a critical section VM ${this.owner} owns` });
        this.count--;
        if (r.count !== this.count) report({ ...at, kind: 'criticalCount', message: `release count ${r.count}, expected ${this.count}` });
        return;
      case 'unblock':
        if (this.owner !== 0) report({ ...at, kind: 'criticalUnblockWhileOwned', message: `VM ${r.owner} unblocked while VM ${this.owner} still owns the critical section` });
        this.blocked.delete(r.owner);
        return;
    }
  }
}
