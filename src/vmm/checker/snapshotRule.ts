/**
 * A priority record's VM state (its VmSnapshot) is the model's own word, and the restriction
 * rules judge by it (restrictions.ts). Where the checker rebuilds the same state from the
 * records, the two must agree: the VM's interrupt flag (virtualPicRule.ts: cli, sti, simulated
 * interrupts and their iret) and whether the critical section is free (criticalRule.ts). So a
 * model whose state went wrong (a simulated interrupt that left `vif` set) cannot pass a
 * PEF_Wait_For_STI or PEF_Wait_Not_Crit callback off as one whose restrictions held.
 */
import type { RecordOf, VmSnapshot } from '../history.js';
import type { Report } from './report.js';
import type { CpuTracker } from './cpuTracker.js';
import type { CriticalSectionRule } from './criticalRule.js';
import type { VirtualPicRule } from './virtualPicRule.js';

export class SnapshotRule {
  constructor(
    private readonly cpu: CpuTracker,
    private readonly virtualPic: VirtualPicRule,
    private readonly critical: CriticalSectionRule,
  ) {}

  /** The snapshot of the VM a priority event was scheduled for. */
  scheduled(r: RecordOf<'scheduled'>, report: Report): void {
    if (r.state !== null) this.compare(r, r.targetVm, r.state, report);
  }

  /** The snapshot of the current VM, in which a priority callback runs. */
  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (r.state !== null) this.compare(r, this.cpu.current, r.state, report);
  }

  private compare(r: { seq: number; ticks: number; handle: number }, vm: number, state: VmSnapshot, report: Report): void {
    const vif = this.virtualPic.vifOf(vm);
    const critFree = this.critical.ownerVm === 0;
    if (state.vif !== vif || state.critFree !== critFree) snapshotMismatch(r, vm, state, vif, critFree, report);
  }
}

function snapshotMismatch(r: { seq: number; ticks: number; handle: number }, vm: number, state: VmSnapshot, vif: boolean, critFree: boolean, report: Report): void {
  const said = `interrupts ${state.vif ? 'enabled' : 'disabled'}, critical section ${state.critFree ? 'free' : 'owned'}`;
  const seen = `interrupts ${vif ? 'enabled' : 'disabled'}, critical section ${critFree ? 'free' : 'owned'}`;
  report({ seq: r.seq, ticks: r.ticks, kind: 'vmStateMismatch', handle: r.handle, message: `the record of priority event 0x${r.handle.toString(16)} says VM ${vm} had ${said}; its records say ${seen}` });
}
