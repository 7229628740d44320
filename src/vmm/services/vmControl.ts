/**
 * VM control services: handles, the re-enter count, priorities, suspend/resume, nested
 * execution; and the lifecycle operations a scenario drives (destroying a VM).
 */
import { Boost } from '../constants.js';
import { EFLAGS_CF } from '../../shared/clientRegs.js';
import { callbackTarget } from '../dispatch.js';
import type { Machine, MachineDevice } from '../machine.js';
import { removeBoost } from './boost.js';
import { hex } from './cancel.js';
import { releaseCriticalSection } from './critical.js';
import { schedule, schedulingChanged } from '../scheduler.js';
import { setVirtBoost } from './virtualPic.js';
import { afterMachineControl, sendControl } from '../control.js';
import type { VmState } from '../vm.js';
import * as rec from '../records.js';

/** Virtual time the VM's client code runs for inside one Resume_Exec. */
const NESTED_EXEC_TICKS = 20;

export function getReenterCount(vmm: Machine): void {
  vmm.regs.ecx = vmm.reenter;
}

export function getCurVmHandle(vmm: Machine): void {
  vmm.regs.ebx = vmm.current.handle;
}

export function getSysVmHandle(vmm: Machine): void {
  vmm.regs.ebx = vmm.systemVm.handle;
}

function targetVm(vmm: Machine, device: MachineDevice, service: string) {
  const vm = vmm.vmByHandle(vmm.regs.ebx);
  if (vm === undefined) {
    vmm.violation('invalidVmHandle', 'device', `${device.name} passed EBX = 0x${hex(vmm.regs.ebx)} to ${service}, which is no VM`, device.name, 0);
  }
  return vm;
}

function setCarry(vmm: Machine, carry: boolean): void {
  vmm.regs.eflags = carry ? vmm.regs.eflags | EFLAGS_CF : vmm.regs.eflags & ~EFLAGS_CF;
}

export function adjustExecPriority(vmm: Machine, device: MachineDevice): void {
  const vm = targetVm(vmm, device, 'Adjust_Exec_Priority');
  if (vm === undefined) return;
  const delta = vmm.regs.eax | 0;
  // SPEC §7 "a boost out of range" (model choice, as §4 refuses a priority event's): the devices'
  // own boosts (those the VMM does not hold: vm.heldBoost) going below 0, i.e. more removed than
  // devices added, or the VM's boosts past Reserved_High_Boost, is a device bug, reported, and the
  // call changes nothing (0x7fffffff went on to wrap the priority's int32). Taking away a boost
  // the VMM holds (the owner's Critical_Section_Boost) would make the VMM's own later removal
  // drive the sum negative, and blame every later innocent boost on the VM.
  const boosted = vm.boost + delta;
  const ownBoosted = boosted - vm.heldBoost;
  if (ownBoosted < 0 || boosted > Boost.Reserved_High_Boost) {
    const floor = vm.heldBoost === 0 ? '0' : `the 0x${hex(vm.heldBoost)} the VMM holds`;
    const why = ownBoosted < 0 ? `below ${floor} (more removed than devices added)` : 'past Reserved_High_Boost';
    vmm.violation('boostOutOfRange', 'device', `${device.name}: Adjust_Exec_Priority by 0x${hex(delta)} takes VM ${vm.id}'s boosts to 0x${hex(boosted)}, ${why} (refused)`, device.name, 0);
    return;
  }
  vm.boost = boosted;
  schedulingChanged(vmm);
  rec.boost(vmm, vm.id, delta, 'adjust', 0);
}

/** Fails (carry set) for the system VM and for the critical-section owner, as in the DDK. */
export function suspendVm(vmm: Machine, device: MachineDevice): void {
  const vm = targetVm(vmm, device, 'Suspend_VM');
  const refused = vm === undefined || vm.isSystemVm || vm === vmm.critOwner;
  setCarry(vmm, refused);
  if (refused) return;
  vm.suspended = true;
  schedulingChanged(vmm);
  rec.vmLifecycle(vmm, 'suspend', vm.id);
  sendControl(vmm, 'VM_Suspend', vm);
}

export function resumeVm(vmm: Machine, device: MachineDevice): void {
  const vm = targetVm(vmm, device, 'Resume_VM');
  setCarry(vmm, vm === undefined);
  if (vm === undefined || !vm.suspended) return;
  vm.suspended = false;
  schedulingChanged(vmm);
  rec.vmLifecycle(vmm, 'resume', vm.id);
  sendControl(vmm, 'VM_Resume', vm);
}

/**
 * The two messages whose DDK pages forbid nested execution: Sys_Critical_Init, "the Simulate_Int
 * and Exec_Int services must not be used"; VM_Critical_Init, "must not use the Simulate_Int or
 * Exec_Int services in the specified virtual machine" (both run with interrupts disabled).
 */
const NO_NESTED_EXEC: ReadonlySet<string> = new Set(['Sys_Critical_Init', 'VM_Critical_Init']);

export function beginNestExec(vmm: Machine, device: MachineDevice): void {
  const message = vmm.controlMessage;
  if (message !== null && NO_NESTED_EXEC.has(message)) {
    // Reported, and run as asked (its Resume_Exec and End_Nest_Exec then balance).
    vmm.violation('nestedExecForbidden', 'device', `${device.name} began nested execution in ${message}, whose DDK page says the Simulate_Int and Exec_Int services must not be used there`, device.name, 0);
  }
  vmm.current.nestedExec++;
}

/**
 * The VM's client code runs from inside ring-0 code: the way to ring 3 is an event-processing
 * point (without a task switch: the VM is in nested execution), and interrupts that arrive
 * while the client code runs find the VMM not re-entered.
 */
export function resumeExec(vmm: Machine, device: MachineDevice): void {
  // Outside Begin_Nest_Exec .. End_Nest_Exec nothing holds the CPU for the VxD's procedure.
  if (vmm.current.nestedExec === 0) {
    vmm.violation('nestExecUnbalanced', 'device', `${device.name} called Resume_Exec outside Begin_Nest_Exec .. End_Nest_Exec (refused)`, device.name, 0);
    return;
  }
  const saved = vmm.saveRegs();
  const savedCtx = vmm.ctx;
  const savedIf = vmm.interruptsEnabled;
  // Through the machine: event processing sits a layer above the services (it dispatches priority events).
  vmm.processEvents(false);
  rec.nestedExec(vmm, 'enter');
  vmm.ctx = 'vm';
  vmm.interruptsEnabled = true;
  vmm.ticks += NESTED_EXEC_TICKS;
  vmm.preempt();
  vmm.ctx = savedCtx;
  rec.nestedExec(vmm, 'exit');
  vmm.interruptsEnabled = savedIf;
  vmm.restoreRegs(saved);
}

export function endNestExec(vmm: Machine, device: MachineDevice): void {
  if (vmm.current.nestedExec === 0) {
    vmm.violation('nestExecUnbalanced', 'device', `${device.name} ended nested execution that was not begun`, device.name, 0);
    return;
  }
  vmm.current.nestedExec--;
}

/**
 * Destroys a VM, as a normal termination goes in the DDK (System_Control messages):
 * 1. VM_Terminate, EBX = the VM, in its context if it is current ("The virtual machine can call
 *    the Simulate_Int and Exec_Int services in the specified virtual machine").
 * 2. The VM can no longer execute: the scheduler never picks it again, and it gives up the
 *    critical section. If it was current, the pending global events run (no task switch comes
 *    before them) and the VMM switches away.
 * 3. VM_Not_Executeable and Destroy_VM, EBX = the VM, with another VM current ("must not call
 *    the Simulate_Int or Exec_Int service in the specified virtual machine"); its VM and
 *    priority events are still pending, so a device may cancel them.
 * 4. What is left of it is discarded (its events recorded as such, and a callback that blocked
 *    in it dropped), and its handle is stale.
 */
export function destroyVm(vmm: Machine, id: number): boolean {
  const vm = vmm.vmById(id);
  if (vm === undefined || vm.isSystemVm) return false;
  sendControl(vmm, 'VM_Terminate', vm);
  stopExecuting(vmm, vm);
  sendControl(vmm, 'VM_Not_Executeable', vm);
  sendControl(vmm, 'Destroy_VM', vm);
  for (const node of [...vm.vmEvents, ...vm.priorityEvents]) {
    if (node.kind === 'priority') removeBoost(vmm, node, 'cancel');
    vmm.table.release(node);
    rec.discarded(vmm, node.kind, node.handle);
  }
  vm.vmEvents.length = 0;
  vm.priorityEvents.length = 0;
  dropBlockedCallback(vmm, vm);
  setVirtBoost(vmm, vm, false);
  vm.alive = false;
  schedulingChanged(vmm);
  rec.vmLifecycle(vmm, 'destroy', vm.id);
  afterMachineControl(vmm);
  return true;
}

/**
 * The end of a run, as the system terminates normally: every VM but the system VM is destroyed
 * (VM_Terminate, VM_Not_Executeable, Destroy_VM, as `destroyVm` does during the run), then the
 * system VM's Sys_VM_Terminate ("The system sends this message only after all other virtual
 * machines have terminated") and System_Exit ("Interrupts remain enabled").
 */
export function shutdown(vmm: Machine): void {
  for (const vm of vmm.vms.filter((v) => v.alive && !v.isSystemVm)) destroyVm(vmm, vm.id);
  for (const message of ['Sys_VM_Terminate', 'System_Exit'] as const) sendControl(vmm, message, vmm.systemVm);
}

/**
 * A callback that blocked in the VM never runs again (model choice): nothing runs in a dead VM,
 * and its event is over (it was dispatched). Recorded, so the user sees what never finished.
 */
function dropBlockedCallback(vmm: Machine, vm: VmState): void {
  const blocked = vm.blockedCallback;
  if (blocked === null) return;
  vm.blockedCallback = null;
  const target = callbackTarget(vmm, blocked.callback);
  rec.blockedCallback(vmm, 'drop', blocked.kind, blocked.handle, target.name, target.nameWord, blocked.targetVm, blocked.timedOut, blocked.flags, vm.id, 0);
}

/** Step 2 of `destroyVm`: from here on the VM never runs, and is not current. */
function stopExecuting(vmm: Machine, vm: VmState): void {
  vm.executable = false;
  schedulingChanged(vmm);
  if (vmm.critOwner === vm) releaseCriticalSection(vmm);
  if (vmm.curRunHolder === vm) {
    vmm.curRunHolder = vmm.systemVm;
    schedulingChanged(vmm);
  }
  if (vmm.current !== vm) return;
  // No task switch comes before the pending global events ("the system does not switch tasks
  // before calling the procedure"): they run here, the dying VM still current (an interrupt in
  // its VM_Terminate handler may have scheduled one). Then the scheduler picks a VM that can run.
  vmm.processEvents(false);
  schedule(vmm);
}
