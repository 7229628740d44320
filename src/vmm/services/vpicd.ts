/**
 * The VPICD side of interrupts (SPEC §6): virtualizing IRQs (with sharing), running the
 * Hw_Int_Procs of a line until one claims it, physical EOI, and requesting virtual interrupts
 * into VMs, which VPICD simulates into the VM when it can run one (possibly inside the call).
 */
import { DEFAULT_IRET_TIMEOUT_MS, VPICD_OPT, VPICD_OPT_VALID_MASK } from '../constants.js';
import type { IrqDescriptor } from '../device.js';
import type { DeviceRuntime } from '../deviceRuntime.js';
import { PRIORITY_ORDER } from '../pic.js';
import type { VmState } from '../vm.js';
import type { Vmm } from '../vmm.js';
import { hex } from './cancel.js';

export interface IrqSharer {
  device: DeviceRuntime;
  descriptor: IrqDescriptor;
  handle: number;
  iretTimeoutMs: number;
}

const IRQ_HANDLE_BASE = 0xa5000000;
/** IRQ sources are bits of one 32-bit choice value. */
const MAX_IRQ_SOURCES = 31;

/** Whether an IRQ descriptor lets other devices share its line (VPICD_Opt_Can_Share). */
function canShare(options: number | undefined): boolean {
  return ((options ?? 0) & VPICD_OPT.Can_Share) !== 0;
}

function irqHandle(irq: number, sharer: number): number {
  return (IRQ_HANDLE_BASE + irq * 0x100 + sharer * 0x10) >>> 0;
}

function irqFromHandle(handle: number): number {
  const offset = (handle >>> 0) - IRQ_HANDLE_BASE;
  return offset >= 0 && offset < 0x1000 ? offset >>> 8 : -1;
}

/** VPICD_Virtualize_IRQ for every descriptor of every device, at initialization. */
export function virtualizeIrqs(vmm: Vmm): void {
  for (const device of vmm.devices) {
    for (const descriptor of device.spec.irqs ?? []) {
      const sharers = (vmm.irqLines[descriptor.irq] ??= []);
      const other = sharers[0];
      if (other !== undefined && !(canShare(other.descriptor.options) && canShare(descriptor.options))) {
        throw new Error(`IRQ ${descriptor.irq}: ${device.name} and ${other.device.name} both virtualize it without VPICD_Opt_Can_Share`);
      }
      if (((descriptor.options ?? 0) & ~VPICD_OPT_VALID_MASK) !== 0) {
        throw new Error(`IRQ ${descriptor.irq} of ${device.name}: unknown VPICD options 0x${hex(descriptor.options ?? 0)}`);
      }
      if (vmm.sources.length >= MAX_IRQ_SOURCES) throw new Error(`more than ${MAX_IRQ_SOURCES} IRQ sources`);
      const handle = irqHandle(descriptor.irq, sharers.length);
      sharers.push({ device, descriptor, handle, iretTimeoutMs: descriptor.iretTimeoutMs ?? DEFAULT_IRET_TIMEOUT_MS });
      device.irqHandles.set(descriptor.irq, handle);
      const index = vmm.sources.length;
      vmm.sources.push({ index, device, irq: descriptor.irq, meanIntervalTicks: descriptor.meanIntervalTicks });
      vmm.allSources |= 1 << index;
      device.sourceIndex.set(descriptor.irq, index);
      vmm.emit({ k: 'service', service: 'VPICD_Virtualize_IRQ', device: device.name });
    }
  }
}

/** The service form, for a device that virtualizes at run time: not supported after init. */
export function virtualizeIrqService(vmm: Vmm, device: DeviceRuntime): void {
  vmm.violation('lateVirtualize', 'device', `${device.name} called VPICD_Virtualize_IRQ after initialization; declare IRQs in the device spec`, device.name, 0);
}

/** Runs each sharer's Hw_Int_Proc (EAX = IRQ handle, EBX = current VM) until one claims it. */
export function dispatchHardwareInterrupt(vmm: Vmm, irq: number): string | null {
  for (const sharer of vmm.irqLines[irq] ?? []) {
    vmm.regs.eax = sharer.handle;
    vmm.regs.ebx = vmm.current.handle;
    if (sharer.device.run(sharer.descriptor.hwIntProc) !== false) return sharer.device.name;
  }
  // Nobody claimed it: VPICD ends the spurious interrupt itself.
  vmm.pic.eoi(irq);
  return null;
}

export function physEoi(vmm: Vmm, device: DeviceRuntime): void {
  const irq = irqFromHandle(vmm.regs.eax);
  if (irq < 0) {
    vmm.violation('invalidIrqHandle', 'device', `${device.name} passed 0x${hex(vmm.regs.eax)} to VPICD_Phys_EOI`, device.name, 0);
    return;
  }
  vmm.pic.eoi(irq);
  vmm.emit({ k: 'eoi', irq });
}

/** The IRQ (EAX = IRQ handle) and VM (EBX) a Set/Clear_Int_Request names, or a reported bug. */
function requestTarget(vmm: Vmm, device: DeviceRuntime, service: string): { irq: number; vm: VmState } | undefined {
  const irq = irqFromHandle(vmm.regs.eax);
  const vm = vmm.vmByHandle(vmm.regs.ebx);
  if (irq >= 0 && vm !== undefined) return { irq, vm };
  vmm.violation('invalidIrqHandle', 'device', `${device.name} passed a bad IRQ or VM handle to ${service}`, device.name, 0);
  return undefined;
}

export function setIntRequest(vmm: Vmm, device: DeviceRuntime): void {
  const target = requestTarget(vmm, device, 'VPICD_Set_Int_Request');
  if (target === undefined) return;
  target.vm.virtRequests |= 1 << target.irq;
  deliverVirtualInterrupts(vmm, target.vm);
}

export function clearIntRequest(vmm: Vmm, device: DeviceRuntime): void {
  const target = requestTarget(vmm, device, 'VPICD_Clear_Int_Request');
  if (target === undefined) return;
  target.vm.virtRequests &= ~(1 << target.irq);
}

/**
 * Simulates the highest-priority requested interrupt into the VM, if it can take one now:
 * it is current, the VMM is not re-entered, its interrupts are enabled and it is not already
 * in a simulated interrupt. The device's Virt_Int_Proc runs; the VM's `iret` ends it.
 */
export function deliverVirtualInterrupts(vmm: Vmm, vm: VmState): void {
  if (vm !== vmm.current || vmm.reenter > 0 || !vm.vif || vm.simulatingHwInt || vm.virtRequests === 0 || !vm.runnable) return;
  const irq = PRIORITY_ORDER.find((line) => (vm.virtRequests & (1 << line)) !== 0);
  if (irq === undefined) return;
  vm.virtRequests &= ~(1 << irq);
  vm.simulatingHwInt = true;
  vmm.emit({ k: 'virtInt', irq, targetVm: vm.id });
  const sharer = vmm.irqLines[irq]?.find((s) => s.descriptor.virtIntProc !== undefined);
  if (sharer === undefined) return;
  const saved = vmm.saveRegs();
  const savedCtx = vmm.ctx;
  vmm.ctx = 'vmm';
  vmm.regs.eax = sharer.handle;
  vmm.regs.ebx = vm.handle;
  sharer.device.run(sharer.descriptor.virtIntProc!);
  vmm.ctx = savedCtx;
  vmm.restoreRegs(saved);
}
