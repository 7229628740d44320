/**
 * The API for writing a simulated VxD. A device declares its IRQ descriptors, the entry points
 * a VM can trap into, the shared words it saves handles in, and its named procedures. Names,
 * never functions, cross threads: a callback is named the way assembly names it with
 * `OFFSET32 EventCallback`, and the VMM turns the name into an address in ESI.
 */
import type { ClientRegs } from '../shared/clientRegs.js';
import type { Regs } from './regs.js';

/** A word of device memory that the DDK idioms touch atomically (`xchg [saved], esi`). */
export interface Slot {
  read(): number;
  write(value: number): void;
  /** Atomic exchange: returns the old value. */
  xchg(value: number): number;
}

export interface PriorityEventRequest {
  boost: number;
  vm: number;
  flags: number;
  callback: string;
  refData: number;
  timeoutMs?: number;
}

/**
 * What device code sees while it runs in ring 0. Every service call is also a preemption point:
 * if interrupts are enabled, a hardware interrupt may be taken before the service runs.
 * The typed helpers load the registers the DDK names and issue `vmmCall`; results come back
 * in registers too (ESI for a handle), exactly as in assembly.
 */
export interface Ring0<S = unknown> {
  readonly regs: Regs;
  readonly state: S;
  readonly deviceName: string;
  /** The current VM's Client_Reg_Struc (EBP points at it in a callback). */
  readonly client: ClientRegs;
  /** Carry flag on entry: set when a priority event's callback runs because it timed out. */
  readonly carry: boolean;

  vmmCall(service: import('./services.js').ServiceName): void;

  callGlobalEvent(callback: string, refData: number): number;
  scheduleGlobalEvent(callback: string, refData: number): number;
  cancelGlobalEvent(handle: number): void;
  callVmEvent(vm: number, callback: string, refData: number): number;
  scheduleVmEvent(vm: number, callback: string, refData: number): number;
  cancelVmEvent(vm: number, handle: number): void;
  /**
   * Loads the DDK's registers as `mov` would before the VMMcall: EBX (the VM), EAX (the boost),
   * ECX (the flags), EDX (the reference data), ESI (the callback) and EDI (the time-out in ms, 0
   * when none), so a Hw_Int_Proc or other VPICD procedure that calls it must save and restore EDI
   * ("Uses EAX, EBX, ECX, EDX, ESI, and Flags"), or be reported registerClobbered.
   */
  callPriorityVmEvent(request: PriorityEventRequest): number;
  cancelPriorityVmEvent(handle: number): void;
  beginCriticalSection(): void;
  endCriticalSection(): void;
  adjustExecPriority(vm: number, delta: number): void;
  /** `Suspend_VM` with EBX = vm: synchronous (refused at interrupt time), and refused (carry) for the system VM or the critical-section owner. */
  suspendVm(vm: number): void;
  /** `Resume_VM` with EBX = vm. */
  resumeVm(vm: number): void;
  /** Nested execution: run the current VM's client code from inside ring-0 code (an event point). */
  execNested(): void;
  physEoi(irqHandle: number): void;
  setIntRequest(vm: number, irqHandle: number): void;
  clearIntRequest(vm: number, irqHandle: number): void;
  /** VPICD_Physically_Mask: the IRQ's requests wait in the PIC until it is unmasked. */
  physicallyMask(irqHandle: number): void;
  /** VPICD_Physically_Unmask. */
  physicallyUnmask(irqHandle: number): void;
  /** VPICD_Set_Auto_Masking (unmasks the IRQ: docs/conformance.md says why). */
  setAutoMasking(irqHandle: number): void;

  /** Enable interrupts: a higher-priority IRQ may nest right here. */
  sti(): void;
  cli(): void;
  reenterCount(): number;
  currentVm(): number;
  sysVm(): number;
  vmHandles(): number[];

  slot(name: string): Slot;
  /** The OFFSET32 address of one of this device's procedures. */
  callback(name: string): number;
  /** The IRQ handle VPICD_Virtualize_IRQ returned for one of this device's IRQs. */
  irqHandle(irq: number): number;
  /** true once per assertion: did this device's hardware raise its IRQ (for shared lines)? */
  takeHardwareRequest(irq: number): boolean;
  /**
   * `VxDcall Device_Service`: run a service another device exports, here, in the caller's
   * context (same CPU context, same register frame: arguments and results travel in `regs`).
   * A preemption point like any service call. Calling a device that is not loaded, or a service
   * it does not export, is a device bug of the caller (`unknownVxdService`), carry set.
   */
  vxdCall(device: string, service: string): void;
  /** A data word another device exports (`exports.data`), to read or `xchg` like its own slots. */
  vxdData(device: string, name: string): Slot;
  /** A device-level invariant failed: reported as a device bug of this device. */
  fail(kind: string, message: string): void;
}

/** A procedure: a Hw_Int_Proc returns false when it does not claim a shared IRQ. */
export type DeviceProc<S> = (r: Ring0<S>) => boolean | void;

export interface IrqDescriptor {
  irq: number;
  /** VPICD options (VPICD_OPT); Can_Share lets several devices virtualize one IRQ. */
  options?: number;
  hwIntProc: string;
  virtIntProc?: string;
  eoiProc?: string;
  iretProc?: string;
  maskChangeProc?: string;
  /** VID_IRET_Time_Out: ms the VM may take to return from a simulated interrupt (500 by default). */
  iretTimeoutMs?: number;
  /** How often the hardware raises this IRQ: mean virtual microseconds between assertions. */
  meanIntervalTicks: number;
}

/**
 * A device's service table and exported data: what other devices may use. Services name this
 * device's procedures (as `Begin_Service_Table` names a VxD's); data names its slots.
 */
export interface DeviceExports {
  services?: string[];
  data?: string[];
}

/** What a device uses of other devices, as `DEVICE.Name`: checked when the scenario loads. */
export interface DeviceImports {
  services?: string[];
  data?: string[];
}

export interface DeviceSpec<S> {
  name: string;
  /** Fresh device state for one run. */
  state: () => S;
  irqs?: IrqDescriptor[];
  /** Words for saved handles, shared between threads (see Slot). */
  slots?: string[];
  /** Entry points a VM reaches by trapping into the device (port I/O, API calls). */
  entries?: string[];
  procs: Record<string, DeviceProc<S>>;
  /** Called when the device is initialized (VPICD_Virtualize_IRQ happens before it). */
  init?: string;
  /**
   * The System_Control messages the device handles (SPEC §5b), and the procedure for each: it
   * runs in ring 0 (not at interrupt time) with EAX = the message, EBX = the VM concerned.
   */
  control?: Partial<Record<import('./constants.js').ControlMessage, string>>;
  /** Services and data other devices may call and share (the device service table). */
  exports?: DeviceExports;
  /** The other devices' services and data this device uses (checked against their exports). */
  imports?: DeviceImports;
}

// Devices are heterogeneous in their state type; the VMM holds them erased.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyDeviceSpec = DeviceSpec<any>;

export function defineDevice<S>(spec: DeviceSpec<S>): DeviceSpec<S> {
  for (const entry of spec.entries ?? []) {
    if (!(entry in spec.procs)) throw new Error(`device ${spec.name}: entry ${entry} has no procedure`);
  }
  for (const [message, proc] of Object.entries(spec.control ?? {})) {
    if (proc !== undefined && !(proc in spec.procs)) throw new Error(`device ${spec.name}: control message ${message} names unknown procedure ${proc}`);
  }
  for (const service of spec.exports?.services ?? []) {
    if (!(service in spec.procs)) throw new Error(`device ${spec.name}: exported service ${service} has no procedure`);
  }
  for (const data of spec.exports?.data ?? []) {
    if (!(spec.slots ?? []).includes(data)) throw new Error(`device ${spec.name}: exported data ${data} is not one of its slots`);
  }
  for (const d of spec.irqs ?? []) {
    for (const p of [d.hwIntProc, d.virtIntProc, d.eoiProc, d.iretProc, d.maskChangeProc]) {
      if (p !== undefined && !(p in spec.procs)) throw new Error(`device ${spec.name}: IRQ ${d.irq} names unknown procedure ${p}`);
    }
    if (!Number.isInteger(d.irq) || d.irq < 0 || d.irq > 15 || d.irq === 2) {
      throw new Error(`device ${spec.name}: IRQ ${d.irq} is not a usable line (0-15, not the cascade 2)`);
    }
  }
  return spec;
}
