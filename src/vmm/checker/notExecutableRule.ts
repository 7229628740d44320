/**
 * A VM that can no longer execute never runs again (SPEC §5b: `VM_Not_Executeable`, `Destroy_VM`
 * and the VM's destruction; the DDK's VM_Not_Executeable: "the virtual machine is no longer
 * capable of executing"). From the records: once a device is sent `VM_Not_Executeable` or
 * `Destroy_VM` for a VM, or the VM is destroyed, that VM is not current at that moment (the
 * messages come "with another VM current"), no task switch goes to it, and none of its code
 * runs, until a VM with that id is created again. The current VM is the CPU tracker's (the
 * task-switch records), never the model's stamp on a record.
 */
import type { RecordOf } from '../history.js';
import type { CpuTracker } from './cpuTracker.js';
import type { Report } from './report.js';
import { VmSet } from './vmSet.js';

export class NotExecutableRule {
  /** VMs that can no longer execute. */
  private readonly stopped = new VmSet();

  constructor(private readonly cpu: CpuTracker) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.stopped.clear();
  }

  control(r: RecordOf<'control'>, report: Report): void {
    if (r.phase !== 'enter' || (r.message !== 'VM_Not_Executeable' && r.message !== 'Destroy_VM')) return;
    this.stop(r, r.targetVm, r.message, report);
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>, report: Report): void {
    if (r.op === 'destroy') this.stop(r, r.targetVm, 'its destruction', report);
    else if (r.op === 'create') this.stopped.delete(r.targetVm);
  }

  taskSwitch(r: RecordOf<'taskSwitch'>, report: Report): void {
    if (this.stopped.size !== 0 && this.stopped.has(r.to)) switchedToStopped(r, report);
  }

  clientOp(r: RecordOf<'clientOp'>, report: Report): void {
    if (this.stopped.size !== 0 && this.stopped.has(this.cpu.current)) ranStopped(r, this.cpu.current, report);
  }

  private stop(r: { seq: number; ticks: number }, vm: number, what: string, report: Report): void {
    if (this.cpu.current === vm && !this.stopped.has(vm)) stillCurrent(r, vm, what, report);
    this.stopped.add(vm);
  }
}

// The reports, out of line (see lifecycleRule.ts).

function stillCurrent(r: { seq: number; ticks: number }, vm: number, what: string, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'notExecutableCurrent', message: `VM ${vm} is still current at ${what} (it can no longer execute: another VM must be current)` });
}

function switchedToStopped(r: RecordOf<'taskSwitch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'notExecutableScheduled', message: `task switch to VM ${r.to}, which can no longer execute (after VM_Not_Executeable)` });
}

function ranStopped(r: RecordOf<'clientOp'>, vm: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'notExecutableScheduled', message: `VM ${vm} ran its code after VM_Not_Executeable` });
}
