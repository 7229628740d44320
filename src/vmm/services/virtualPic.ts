/**
 * The virtual PIC of each VM (SPEC §6): level-triggered requests, the VM's mask, virtual
 * in-service state in the fixed priority order, the VM's virtual EOI and IRET, the IRET
 * time-out, and the descriptor procedures VPICD calls around them (Virt_Int_Proc, EOI_Proc,
 * IRET_Proc, Mask_Change_Proc). "The system disables interrupts before calling this procedure";
 * each "Uses EAX, EBX, ECX, EDX, ESI, and Flags".
 */
import { EFLAGS_CF } from '../../shared/clientRegs.js';
import { Boost, TICKS_PER_MS } from '../constants.js';
import type { VpicdProc } from '../history.js';
import { highestIrq, irqRank } from '../pic.js';
import { EFLAGS_DF, restoreClobbered, takeDirectionFlag, VPICD_PRESERVED_REGS, type PreservedSnapshot } from '../regs.js';
import type { VmState } from '../vm.js';
import type { IrqSharer, Machine, MachineDevice } from '../machine.js';
import { schedulingChanged } from '../scheduler.js';
import * as rec from '../records.js';

/** A line no device virtualized. */
export const NO_SHARERS: readonly IrqSharer[] = [];

/** Reports (and undoes) a VPICD procedure (by its index on the device) that broke its register contract or left DF set. */
export function checkProcContract(vmm: Machine, device: MachineDevice, proc: number, before: PreservedSnapshot): void {
  const clobbered = restoreClobbered(vmm.regs, before, VPICD_PRESERVED_REGS);
  if (clobbered.length > 0) {
    vmm.violation('registerClobbered', 'device', `${device.name}.${device.procNames[proc]} changed ${clobbered.join(', ')}; a VPICD procedure "Uses EAX, EBX, ECX, EDX, ESI, and Flags" only`, device.name, 0);
  }
  if (takeDirectionFlag(vmm.regs)) {
    vmm.violation('directionFlagSet', 'device', `${device.name}.${device.procNames[proc]} returned with the direction flag set`, device.name, 0);
  }
}

/** The procedure of one kind a sharer's descriptor names: its index on the device, -1 for none. */
function procOf(sharer: IrqSharer, kind: VpicdProc): number {
  switch (kind) {
    case 'virtInt': return sharer.virtIntProc;
    case 'eoi': return sharer.eoiProc;
    case 'iret': return sharer.iretProc;
    case 'maskChange': return sharer.maskChangeProc;
  }
}

/** Calls one kind of descriptor procedure of every device on the line that has one. */
function callProcs(vmm: Machine, kind: VpicdProc, irq: number, vm: VmState, ecx = 0, carry = false): void {
  const sharers = vmm.irqLines[irq] ?? NO_SHARERS;
  for (let i = 0; i < sharers.length; i++) {
    const sharer = sharers[i]!;
    const proc = procOf(sharer, kind);
    if (proc >= 0) runProc(vmm, sharer, kind, proc, vm, ecx, carry);
  }
}

function runProc(vmm: Machine, sharer: IrqSharer, kind: VpicdProc, proc: number, vm: VmState, ecx: number, carry: boolean): void {
  const saved = vmm.saveRegs();
  const savedCtx = vmm.ctx;
  const savedIf = vmm.interruptsEnabled;
  const regs = vmm.regs;
  vmm.ctx = 'vmm';
  vmm.interruptsEnabled = false;
  vmm.vpicdProcDepth++;
  regs.eax = sharer.handle;
  regs.ebx = vm.handle;
  regs.ecx = ecx;
  regs.eflags = (carry ? regs.eflags | EFLAGS_CF : regs.eflags & ~EFLAGS_CF) & ~EFLAGS_DF;
  const irq = sharer.irq;
  rec.vpicdProc(vmm, 'enter', kind, irq, vm.id, sharer.device);
  const before = vmm.saveRegs();
  sharer.device.runIndex(proc, carry);
  checkProcContract(vmm, sharer.device, proc, before);
  vmm.releaseFrame(before);
  rec.vpicdProc(vmm, 'exit', kind, irq, vm.id, sharer.device);
  vmm.vpicdProcDepth--;
  vmm.interruptsEnabled = savedIf;
  vmm.ctx = savedCtx;
  vmm.restoreRegs(saved);
}

/**
 * Applies or removes the Time_Critical_Boost of a virtual interrupt requested into a VM that was
 * not current. It lasts while VPICD simulates the interrupt: until the VM returns from it (or
 * its IRET time-out), or until the request is cleared before it was simulated.
 */
export function setVirtBoost(vmm: Machine, vm: VmState, on: boolean): void {
  if (vm.virtBoosted === on) return;
  vm.virtBoosted = on;
  const delta = on ? Boost.Time_Critical_Boost : -Boost.Time_Critical_Boost;
  vm.boost += delta;
  vm.heldBoost += delta;
  schedulingChanged(vmm);
  rec.boost(vmm, vm.id, delta, 'virtInt', 0);
}

function setVif(vm: VmState, enabled: boolean): void {
  vm.vif = enabled;
  vm.client.setInterruptFlag(enabled);
}

/**
 * The IRQ the VM would take now, or -1. VPICD_Set_Int_Request: "The interrupt is not simulated
 * immediately if any of the following conditions are present: The virtual machine has
 * interrupts disabled; The virtual machine has masked the IRQ; A higher priority virtual IRQ is
 * in service; The virtual machine is suspended, or not able to run". A VM is not able to run
 * while it is not current, and while ring 0 runs at interrupt time (SPEC §1).
 */
export function deliverableIrq(vmm: Machine, vm: VmState): number {
  if (vm !== vmm.current || !vm.vif || !vm.runnable || vmm.atInterruptTime) return -1;
  const irq = highestIrq(vm.virtRequests & ~vm.virtMask);
  if (irq < 0) return -1;
  // An IRQ in service holds back itself and every IRQ of lower priority (irqRank(-1) is 99).
  return irqRank(irq) < irqRank(highestIrq(vm.virtInService)) ? irq : -1;
}

/** Simulates the best requested interrupt into the VM if it can take one now; its Virt_Int_Proc runs. */
export function deliverVirtualInterrupts(vmm: Machine, vm: VmState): void {
  if (vm.virtRequests === 0) return;
  const irq = deliverableIrq(vmm, vm);
  if (irq < 0) return;
  const first = vmm.irqLines[irq]?.[0];
  const deadlineTicks = vmm.ticks + (first?.iretTimeoutMs ?? 500) * TICKS_PER_MS;
  vm.pushIretFrame(irq, vm.vif, deadlineTicks);
  vmm.iretTimeoutTicks = Math.min(vmm.iretTimeoutTicks, deadlineTicks);
  vm.virtInService |= 1 << irq;
  // The simulated interrupt enters the VM's handler with its interrupts disabled, as on the CPU.
  setVif(vm, false);
  rec.virtInt(vmm, irq, vm.id);
  callProcs(vmm, 'virtInt', irq, vm);
}

/**
 * The VM's handler sends a non-specific EOI: the highest-priority IRQ in service ends, and its
 * EOI_Proc runs (VID_EOI_Proc: "The system calls this procedure whenever a hardware interrupt
 * handler in the virtual machine issues an EOI"). Level-triggered: a request still set is
 * simulated again at the way back to the VM (VPICD_Set_Int_Request: "once a virtual EOI
 * occurs, another interrupt will be simulated immediately unless the virtual interrupt request
 * is cleared"). An EOI with nothing in service does nothing, as on an 8259.
 */
export function virtualEoi(vmm: Machine, vm: VmState): void {
  const irq = highestIrq(vm.virtInService);
  if (irq < 0) return;
  vm.virtInService &= ~(1 << irq);
  rec.virtEoi(vmm, irq, vm.id);
  callProcs(vmm, 'eoi', irq, vm);
}

/**
 * The VM's `iret` returns from its innermost simulated interrupt: its interrupt flag comes back
 * and the IRET_Proc runs with carry clear (VID_IRET_Proc: "whenever a virtual machine executes
 * an iret instruction, or whenever a time out occurs for a simulated interrupt").
 */
export function virtualIret(vmm: Machine, vm: VmState): void {
  const frame = vm.iretStack.pop();
  if (frame === undefined) return;
  const { irq, vif, timedOut } = frame;
  vm.releaseIretFrame(frame);
  setVif(vm, vif);
  if (timedOut) return; // its IRET_Proc was called already, at the time-out
  rec.virtIret(vmm, irq, vm.id, false);
  endBoostIfDone(vmm, vm);
  callProcs(vmm, 'iret', irq, vm);
}

/**
 * The boost of a simulated interrupt comes off once the VM is out of every simulated interrupt
 * and has no request left that VPICD could still simulate (set and unmasked): a second request
 * made while the first was simulated keeps it (an outside audit: the VM was switched away with
 * IRQ 4 requested and waited a time slice, for ever under a higher-priority VM).
 */
export function endBoostIfDone(vmm: Machine, vm: VmState): void {
  if (vm.virtBoosted && !vm.simulatingHwInt && (vm.virtRequests & ~vm.virtMask) === 0) setVirtBoost(vmm, vm, false);
}

/** IRET time-outs (VID_IRET_Time_Out, 500 ms by default), noticed at event-processing points. */
export function checkIretTimeouts(vmm: Machine): void {
  if (vmm.atInterruptTime || vmm.ticks < vmm.iretTimeoutTicks) return; // none can be due yet
  // Indexed loops (no iterator allocated); an IRET_Proc may push frames: each loop reads the length again, as an iterator does.
  const vms = vmm.vms;
  for (let v = 0; v < vms.length; v++) {
    const vm = vms[v]!;
    const stack = vm.iretStack;
    for (let f = 0; f < stack.length; f++) {
      const frame = stack[f]!;
      if (frame.timedOut || vmm.ticks < frame.deadlineTicks || !vm.alive) continue;
      frame.timedOut = true;
      rec.virtIret(vmm, frame.irq, vm.id, true);
      endBoostIfDone(vmm, vm);
      callProcs(vmm, 'iret', frame.irq, vm, 0, true);
    }
  }
  // After the IRET_Procs (which may have simulated more interrupts): the earliest deadline left.
  let earliest = Infinity;
  for (let v = 0; v < vms.length; v++) {
    const vm = vms[v]!;
    if (!vm.alive) continue;
    const stack = vm.iretStack;
    for (let f = 0; f < stack.length; f++) if (!stack[f]!.timedOut) earliest = Math.min(earliest, stack[f]!.deadlineTicks);
  }
  vmm.iretTimeoutTicks = earliest;
}

/** The VM writes its virtual mask; a change calls the Mask_Change_Proc (ECX non-zero = masked). */
export function writeVirtualMask(vmm: Machine, vm: VmState, irq: number, masked: boolean): void {
  if (!Number.isInteger(irq) || irq < 0 || irq > 15) return;
  const bit = 1 << irq;
  if (((vm.virtMask & bit) !== 0) === masked) return;
  vm.virtMask = masked ? vm.virtMask | bit : vm.virtMask & ~bit;
  rec.virtMask(vmm, irq, masked, vm.id);
  // Its last request that could still be simulated masked: nothing left to boost for.
  if (masked) endBoostIfDone(vmm, vm);
  callProcs(vmm, 'maskChange', irq, vm, masked ? 1 : 0);
}
