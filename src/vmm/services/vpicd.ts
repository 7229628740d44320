/**
 * The VPICD side of interrupts (SPEC §6): virtualizing IRQs (with sharing), running the
 * Hw_Int_Procs of a line until one claims it, physical EOI, and requesting virtual interrupts
 * into VMs (the virtual PIC itself is virtualPic.ts).
 */
import { DEFAULT_IRET_TIMEOUT_MS, VPICD_OPT, VPICD_OPT_VALID_MASK } from '../constants.js';
import { EFLAGS_DF } from '../regs.js';
import type { VmState } from '../vm.js';
import type { Machine, MachineDevice } from '../machine.js';
import { hex } from './cancel.js';
import { checkProcContract, deliverVirtualInterrupts, endBoostIfDone, NO_SHARERS, setVirtBoost } from './virtualPic.js';
import * as rec from '../records.js';
import { stringWord } from '../traceHash.js';

const IRQ_HANDLE_BASE = 0xa5000000;
const VIRTUALIZE_IRQ_WORD = stringWord('VPICD_Virtualize_IRQ');
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

/** A descriptor's procedure by its name (-1: none named). A function, not a closure per descriptor: this runs for every machine. */
function procOf(device: MachineDevice, name: string | undefined): number {
  return name === undefined ? -1 : device.procIndex(name);
}

/**
 * VPICD_Virtualize_IRQ for every descriptor of every device, at initialization. The tables it
 * builds (the sharers of each line, the IRQ sources) are a function of the device specs: a
 * machine reset for another run (Vmm.reset) keeps them, and this then only does what the build
 * does to the devices and the record stream (revirtualizeIrqs).
 */
export function virtualizeIrqs(vmm: Machine): void {
  if (vmm.sources.length !== 0) return revirtualizeIrqs(vmm);
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
      sharers.push({
        device, descriptor, irq: descriptor.irq, handle, iretTimeoutMs: descriptor.iretTimeoutMs ?? DEFAULT_IRET_TIMEOUT_MS,
        hwIntProc: procOf(device, descriptor.hwIntProc), virtIntProc: procOf(device, descriptor.virtIntProc),
        eoiProc: procOf(device, descriptor.eoiProc), iretProc: procOf(device, descriptor.iretProc), maskChangeProc: procOf(device, descriptor.maskChangeProc),
      });
      device.irqHandles[descriptor.irq] = handle;
      const index = vmm.sources.length;
      vmm.sources.push({ index, device, irq: descriptor.irq, meanIntervalTicks: descriptor.meanIntervalTicks });
      vmm.allSources |= 1 << index;
      device.sourceIndex[descriptor.irq] = index;
      rec.service(vmm, 'VPICD_Virtualize_IRQ', VIRTUALIZE_IRQ_WORD, device.name, device.nameWord);
    }
  }
}

/** The kept tables' sources, in the build's order: each device's handle and source index on the line, and the service record. */
function revirtualizeIrqs(vmm: Machine): void {
  for (const source of vmm.sources) {
    const { device, irq, index } = source;
    for (const sharer of vmm.irqLines[irq]!) if (sharer.device === device) device.irqHandles[irq] = sharer.handle;
    device.sourceIndex[irq] = index;
    rec.service(vmm, 'VPICD_Virtualize_IRQ', VIRTUALIZE_IRQ_WORD, device.name, device.nameWord);
  }
}

/** The service form, for a device that virtualizes at run time: not supported after init. */
export function virtualizeIrqService(vmm: Machine, device: MachineDevice): void {
  vmm.violation('lateVirtualize', 'device', `${device.name} called VPICD_Virtualize_IRQ after initialization; declare IRQs in the device spec`, device.name, 0);
}

/**
 * Runs each sharer's Hw_Int_Proc (EAX = IRQ handle, EBX = current VM, interrupts disabled) until one claims it;
 * returns that device (null: none did).
 * Each is checked against its contract: "Uses EAX, EBX, ECX, EDX, ESI, and Flags" (so EDI, EBP,
 * ESP and the segment registers come back unchanged), and the direction flag clear.
 */
export function dispatchHardwareInterrupt(vmm: Machine, irq: number): MachineDevice | null {
  const sharers = vmm.irqLines[irq] ?? NO_SHARERS;
  for (let i = 0; i < sharers.length; i++) {
    const sharer = sharers[i]!;
    const regs = vmm.regs;
    regs.eax = sharer.handle;
    regs.ebx = vmm.current.handle;
    regs.eflags &= ~EFLAGS_DF;
    // SPEC §6: "Hw_Int_Proc runs with interrupts disabled": the CPU took the interrupt with them
    // disabled (cpu.ts); a later sharer finds them so too, after one before it enabled them and declined.
    if (i > 0) vmm.interruptsEnabled = false;
    const before = vmm.saveRegs();
    const claimed = sharer.device.runIndex(sharer.hwIntProc) !== false;
    checkProcContract(vmm, sharer.device, sharer.hwIntProc, before);
    vmm.releaseFrame(before);
    if (claimed) return sharer.device;
  }
  // Nobody claimed it: VPICD ends the spurious interrupt itself.
  vmm.pic.eoi(irq);
  rec.eoi(vmm, irq);
  return null;
}

export function physEoi(vmm: Machine, device: MachineDevice): void {
  const irq = irqFromHandle(vmm.regs.eax);
  if (irq < 0) {
    vmm.violation('invalidIrqHandle', 'device', `${device.name} passed 0x${hex(vmm.regs.eax)} to VPICD_Phys_EOI`, device.name, 0);
    return;
  }
  vmm.pic.eoi(irq);
  rec.eoi(vmm, irq);
}

/**
 * VPICD_Physically_Mask: "masks the specified IRQ on the hardware PIC". A request on a masked line
 * waits in the PIC until the line is unmasked; one already in service runs on.
 */
export function physicallyMask(vmm: Machine, device: MachineDevice): void {
  setPhysicalMask(vmm, device, 'VPICD_Physically_Mask', true);
}

/** VPICD_Physically_Unmask: "unmasks the physical IRQ without regard to mask state of the virtual machines". */
export function physicallyUnmask(vmm: Machine, device: MachineDevice): void {
  setPhysicalMask(vmm, device, 'VPICD_Physically_Unmask', false);
}

/**
 * VPICD_Set_Auto_Masking: the IRQ is masked again only "if all virtual machines have masked the
 * corresponding virtual IRQs". (Model choice, docs/conformance.md: automatic masking from the
 * VMs' virtual masks is not modelled; an IRQ under it stays unmasked, as it does while any VM
 * has the virtual IRQ unmasked. So this unmasks the line.)
 */
export function setAutoMasking(vmm: Machine, device: MachineDevice): void {
  setPhysicalMask(vmm, device, 'VPICD_Set_Auto_Masking', false);
}

function setPhysicalMask(vmm: Machine, device: MachineDevice, service: string, masked: boolean): void {
  const irq = irqFromHandle(vmm.regs.eax);
  if (irq < 0) {
    vmm.violation('invalidIrqHandle', 'device', `${device.name} passed 0x${hex(vmm.regs.eax)} to ${service}`, device.name, 0);
    return;
  }
  vmm.pic.setMasked(irq, masked);
  rec.physMask(vmm, irq, masked);
}

/**
 * The VM (EBX) a Set/Clear_Int_Request names, when it and the IRQ (`irq`, from EAX's IRQ handle)
 * are valid; else a reported bug. The IRQ is the caller's: no object per request for the pair.
 */
function requestVm(vmm: Machine, device: MachineDevice, service: string, irq: number): VmState | undefined {
  const vm = vmm.vmByHandle(vmm.regs.ebx);
  if (irq >= 0 && vm !== undefined) return vm;
  // Named as the event services name them: which handle, and its value (a VM destroyed since is the common case).
  if (irq < 0) vmm.violation('invalidIrqHandle', 'device', `${device.name} passed 0x${hex(vmm.regs.eax)} to ${service}, which is no IRQ handle`, device.name, 0);
  else vmm.violation('invalidVmHandle', 'device', `${device.name} passed EBX = 0x${hex(vmm.regs.ebx)} to ${service}, which is no VM`, device.name, 0);
  return undefined;
}

/**
 * VPICD_Set_Int_Request: "Setting the request causes the system to simulate an interrupt.
 * Although the simulation may occur immediately, in many cases it may not until a later point
 * in time." A VM that is not current is boosted (Time_Critical_Boost: "VPICD uses this when
 * simulating hardware interrupts") so that the scheduler runs it soon.
 */
export function setIntRequest(vmm: Machine, device: MachineDevice): void {
  const irq = irqFromHandle(vmm.regs.eax);
  const vm = requestVm(vmm, device, 'VPICD_Set_Int_Request', irq);
  if (vm === undefined) return;
  vm.virtRequests |= 1 << irq;
  rec.virtRequest(vmm, 'set', irq, vm.id);
  if (vm !== vmm.current && !vm.virtBoosted) setVirtBoost(vmm, vm, true);
  deliverVirtualInterrupts(vmm, vm);
}

/** VPICD_Clear_Int_Request: "made before the virtual interrupt is simulated prevents the interrupt simulation". */
export function clearIntRequest(vmm: Machine, device: MachineDevice): void {
  const irq = irqFromHandle(vmm.regs.eax);
  const vm = requestVm(vmm, device, 'VPICD_Clear_Int_Request', irq);
  if (vm === undefined) return;
  vm.virtRequests &= ~(1 << irq);
  rec.virtRequest(vmm, 'clear', irq, vm.id);
  endBoostIfDone(vmm, vm);
}
