/**
 * The primary scheduler and the time slicer (SPEC §2). The VM that runs is the runnable VM with
 * the highest execution priority (its boosts, plus Cur_Run_VM_Boost for the VM the time slicer
 * favours); ties keep the current VM, else the lowest id. Task switches happen only here, and
 * this runs only at event-processing points, never inside a hardware-interrupt handler.
 */
import type { VmState } from './vm.js';
import type { Machine } from './machine.js';
import * as rec from './records.js';

/** `beforeSwitch` runs just before a task switch is made (the processing pass records itself). */
export function schedule(vmm: Machine, beforeSwitch: (vmm: Machine) => void = noPass): void {
  // A VM in nested execution is inside a VxD's ring-0 code: it keeps the CPU until it is done,
  // even if it was suspended or blocked meanwhile (that takes effect when it is done). The model
  // runs a procedure to its end on one stack: a switch here would run the rest of the VxD's
  // procedure, End_Nest_Exec included, in another VM.
  if (vmm.current.nestedExec > 0) return;
  timeSlice(vmm);
  const next = pickVm(vmm);
  if (next === vmm.current) return;
  beforeSwitch(vmm);
  switchTo(vmm, next);
}

function noPass(): void {}

/**
 * What the scheduler reads changed: a VM's boost, `alive`, `executable`, `suspended` or
 * `blockedOnCritical`, the VM list, the current VM or the slice holder. Every write of those
 * calls this, so that the next pick scans the VMs again (until then the last pick stands).
 */
export function schedulingChanged(vmm: Machine): void {
  vmm.pickedVm = null;
}

export function pickVm(vmm: Machine): VmState {
  // One VM (most small scenarios): it is the system VM, the answer whether or not it can run.
  if (vmm.vms.length === 1) return vmm.systemVm;
  // Most processing points change nothing the pick reads since the last one (schedulingChanged).
  const picked = vmm.pickedVm;
  if (picked !== null) return picked;
  // At every processing point, over every VM: the machine's fields read once, not per VM.
  const vms = vmm.vms;
  const current = vmm.current;
  let best: VmState | undefined;
  let bestPriority = -Infinity;
  for (let i = 0; i < vms.length; i++) {
    const vm = vms[i]!;
    if (!vm.runnable) continue;
    const priority = vmm.execPriority(vm);
    if (priority > bestPriority || (priority === bestPriority && vm === current)) {
      best = vm;
      bestPriority = priority;
    }
  }
  // The system VM is never suspended, and the critical-section owner cannot be: someone runs.
  const next = best ?? vmm.systemVm;
  vmm.pickedVm = next;
  return next;
}

/** Moves Cur_Run_VM_Boost round-robin once the slice has run out. */
function timeSlice(vmm: Machine): void {
  if (vmm.ticks - vmm.sliceStartTicks < vmm.config.timesliceTicks) return;
  vmm.sliceStartTicks = vmm.ticks;
  const holder = vmm.curRunHolder;
  const n = vmm.vms.length;
  for (let i = 1; i <= n; i++) {
    const candidate = vmm.vms[(holder.id - 1 + i) % n]!;
    if (candidate.runnable) {
      if (candidate !== holder) schedulingChanged(vmm);
      vmm.curRunHolder = candidate;
      return;
    }
  }
}

function switchTo(vmm: Machine, next: VmState): void {
  const from = vmm.current.id;
  vmm.current = next;
  schedulingChanged(vmm);
  rec.taskSwitch(vmm, from, next.id);
}
