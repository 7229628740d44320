/**
 * System_Control messages (SPEC §5b): the VMM drives a device through its control procedure.
 * Each message goes to every device that declares it, in device order, with EAX = the message
 * and EBX = the VM concerned. Control procedures run in ring 0 in the `vmm` context, not at
 * interrupt time; they are preemption points like any device code, so a device that cancels a
 * pending event there races its own interrupt handler as real VxDs do. Interrupts are enabled
 * for every message but the two the DDK says run with them disabled (INTERRUPTS_DISABLED).
 */
import { CONTROL_MESSAGE, type ControlMessage } from './constants.js';
import type { VmState } from './vm.js';
import type { Machine } from './machine.js';
import * as rec from './records.js';

/**
 * The messages a device handles with interrupts disabled. Sys_Critical_Init: "Hardware interrupts
 * are disabled, so the virtual device should spend as little time as possible initializing
 * itself"; VM_Critical_Init: "Interrupts are disabled". The others run with them enabled:
 * Device_Init, "Hardware interrupts are enabled, so the virtual device must be prepared to manage
 * interrupts from its own device"; System_Exit, "Interrupts remain enabled while virtual devices
 * process this message".
 */
const INTERRUPTS_DISABLED: ReadonlySet<ControlMessage> = new Set(['Sys_Critical_Init', 'VM_Critical_Init']);

export function sendControl(vmm: Machine, message: ControlMessage, vm: VmState): void {
  const interrupts = !INTERRUPTS_DISABLED.has(message);
  for (const device of vmm.devices) {
    const proc = device.spec.control?.[message];
    if (proc === undefined) continue;
    const saved = vmm.saveRegs();
    const savedCtx = vmm.ctx;
    const savedIf = vmm.interruptsEnabled;
    const outerMessage = vmm.controlMessage;
    vmm.ctx = 'vmm';
    vmm.interruptsEnabled = interrupts;
    vmm.controlDepth++;
    vmm.controlMessage = message;
    vmm.regs.eax = CONTROL_MESSAGE[message];
    vmm.regs.ebx = vm.handle;
    rec.control(vmm, 'enter', message, vm.id, device.name);
    device.run(proc);
    rec.control(vmm, 'exit', message, vm.id, device.name);
    vmm.controlDepth--;
    vmm.controlMessage = outerMessage;
    vmm.interruptsEnabled = savedIf;
    vmm.ctx = savedCtx;
    vmm.restoreRegs(saved);
  }
}

/**
 * The machine's own control messages (boot, a VM created, destroyed or given the focus during
 * the run) run in ring 0 with nothing below them: the VMM then returns to ring 3, an
 * event-processing point (SPEC §1), so that what their handlers scheduled runs before any VM's
 * code does (§3: "Global events run before returning to *any* VM"). Sent from ring-0 code (a
 * service a device called), they return into that code instead, whose own return is the point.
 */
export function afterMachineControl(vmm: Machine): void {
  if (vmm.ctx === 'vm') vmm.returnToRing3();
}

/** Boot (system VM): Sys_Critical_Init, Device_Init, Init_Complete, Sys_VM_Init; then the other VMs are created. */
export function bootMessages(vmm: Machine): void {
  for (const message of ['Sys_Critical_Init', 'Device_Init', 'Init_Complete', 'Sys_VM_Init'] as const) sendControl(vmm, message, vmm.systemVm);
  for (const vm of vmm.vms) if (!vm.isSystemVm) createMessages(vmm, vm);
}

/** VM creation: Create_VM, VM_Critical_Init, VM_Init. */
export function createMessages(vmm: Machine, vm: VmState): void {
  for (const message of ['Create_VM', 'VM_Critical_Init', 'VM_Init'] as const) sendControl(vmm, message, vm);
}

/** Set_Device_Focus to a VM (the shell's job on the real machine; a scenario lifecycle step here). */
export function setFocus(vmm: Machine, id: number): boolean {
  const vm = vmm.vmById(id);
  if (vm === undefined) return false;
  vmm.focusVm = id;
  sendControl(vmm, 'Set_Device_Focus', vm);
  afterMachineControl(vmm);
  return true;
}
