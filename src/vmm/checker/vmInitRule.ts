/**
 * VM_Init's DDK page: "The virtual device can use the Simulate_Int and Exec_Int services in the
 * specified virtual machine." The model sends VM_Init with the VM that was running current, not
 * the new one (README "Control messages", a model choice), so nested execution there runs in
 * that VM: a port that sets up the new VM with Exec_Int gets the wrong VM. Each such nested
 * execution gets a warning naming both VMs (no violation: the device did what the DDK allows).
 */
import type { RecordOf } from '../history.js';
import type { CpuTracker } from './cpuTracker.js';
import type { Warn } from './report.js';

export class VmInitRule {
  /** The VMs of the VM_Init messages being handled now, innermost last (0: another message). */
  private readonly handling: number[] = [];

  constructor(private readonly cpu: CpuTracker) {}

  reset(): void {
    this.handling.length = 0;
  }

  control(r: RecordOf<'control'>): void {
    if (r.phase === 'enter') this.handling.push(r.message === 'VM_Init' ? r.targetVm : 0);
    else this.handling.pop();
  }

  nestedExec(r: RecordOf<'nestedExec'>, warn: Warn): void {
    const n = this.handling.length;
    if (r.phase !== 'enter' || n === 0) return;
    const newVm = this.handling[n - 1]!;
    const current = this.cpu.current;
    if (newVm === 0 || newVm === current) return;
    warn({
      seq: r.seq, ticks: r.ticks, kind: 'vmInitNestedElsewhere',
      message: `nested execution in VM_Init of VM ${newVm} ran in VM ${current}, the VM current there: the model sends VM_Init with the running VM current, where the DDK lets a device use Exec_Int in the new one (README "Control messages")`,
    });
  }
}
