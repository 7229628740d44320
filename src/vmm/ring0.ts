/**
 * The context object device code calls services through. Each helper loads the registers the
 * DDK names, issues the service, and reads the result register, as the assembly would.
 */
import type { ClientRegs } from '../shared/clientRegs.js';
import type { PriorityEventRequest, Ring0, Slot } from './device.js';
import { REG_NAMES, type Regs } from './regs.js';
import { callService, SERVICE, serviceEntry, type ServiceEntry } from './services/index.js';
import type { ServiceName } from './services.js';
import { takeHardwareRequest } from './cpu.js';
import type { Machine, MachineDevice } from './machine.js';
import { ring0Watch } from './ring0Watch.js';
import { vxdCall, vxdData } from './serviceTable.js';
import { callbackAddress } from './callbackAddress.js';
import { dword } from './dword.js';
import { oneLine } from '../shared/oneLine.js';

/**
 * The raw calls take their inputs from registers the device code wrote: each must hold a 32-bit
 * value, as a register does. A string, NaN or 2^40 there was read as 0 (`Cancel_Global_Event`
 * then reported "cancelled 0x0", a value the device never passed). The typed helpers check the
 * values they are given (dword.ts).
 */
function checkRegisters(regs: Regs, helper: string, service: string): void {
  for (const name of REG_NAMES) {
    const value = regs[name];
    // The common case without a call: a number that is its own int32 or uint32.
    if (typeof value !== 'number' || ((value | 0) !== value && value >>> 0 !== value)) dword(value, `${helper}('${service}')`, `r.regs.${name}`);
  }
}

export class Ring0Context implements Ring0<unknown> {
  carry = false;
  /**
   * The callback an event helper named last, and its procedure index: a device names the same
   * few callbacks over and over, and an identical string compares by pointer, where finding its
   * index is a map lookup per event.
   */
  private lastCallback: string | null = null;
  private lastProcIndex = -1;

  constructor(private readonly vmm: Machine, private readonly device: MachineDevice) {
    // The context lives as long as its machine, which a campaign reuses for every execution:
    // a property device code added to it (`r.count = ...`) carried one execution's state into
    // the next, so a campaign missed what a single run of the same schedule showed. Device code
    // that adds one now throws at once (modules are strict): per-run state belongs in `state()`.
    Object.preventExtensions(this);
  }

  /** As a new context (a machine reset for another run: DeviceRuntime.reset). */
  reset(): void {
    this.carry = false;
    this.lastCallback = null;
    this.lastProcIndex = -1;
  }

  get regs(): Regs {
    return this.vmm.regs;
  }
  get state(): unknown {
    return this.device.state;
  }
  get deviceName(): string {
    return this.device.name;
  }
  get client(): ClientRegs {
    return this.vmm.current.client;
  }

  vmmCall(service: ServiceName): void {
    checkRegisters(this.regs, 'vmmCall', service);
    this.call(serviceEntry(service));
  }

  /** `VMMcall` of a service the helper names (its entry found once, not by name per call). */
  private call(service: ServiceEntry): void {
    ring0Watch.serviceCall();
    callService(this.vmm, this.device, service);
  }

  callGlobalEvent(callback: string, refData: number): number {
    return this.eventCall(SERVICE.Call_Global_Event, 0, callback, dword(refData, 'callGlobalEvent', 'refData'));
  }
  scheduleGlobalEvent(callback: string, refData: number): number {
    return this.eventCall(SERVICE.Schedule_Global_Event, 0, callback, dword(refData, 'scheduleGlobalEvent', 'refData'));
  }
  cancelGlobalEvent(handle: number): void {
    this.regs.esi = dword(handle, 'cancelGlobalEvent', 'handle');
    this.call(SERVICE.Cancel_Global_Event);
  }
  // The VM event helpers load EBX whatever the VM: 0 is no VM handle (SPEC §2, "a non-zero
  // 32-bit value"), and leaving EBX as it was scheduled a `scheduleVmEvent(0, ...)` for the VM
  // EBX happened to name, where the DDK's service is handed an invalid VM.
  callVmEvent(vm: number, callback: string, refData: number): number {
    this.regs.ebx = dword(vm, 'callVmEvent', 'vm');
    return this.eventCall(SERVICE.Call_VM_Event, 0, callback, dword(refData, 'callVmEvent', 'refData'));
  }
  scheduleVmEvent(vm: number, callback: string, refData: number): number {
    this.regs.ebx = dword(vm, 'scheduleVmEvent', 'vm');
    return this.eventCall(SERVICE.Schedule_VM_Event, 0, callback, dword(refData, 'scheduleVmEvent', 'refData'));
  }
  cancelVmEvent(vm: number, handle: number): void {
    this.regs.ebx = dword(vm, 'cancelVmEvent', 'vm');
    this.regs.esi = dword(handle, 'cancelVmEvent', 'handle');
    this.call(SERVICE.Cancel_VM_Event);
  }
  callPriorityVmEvent(request: PriorityEventRequest): number {
    if (typeof request !== 'object' || request === null) throw new TypeError(`callPriorityVmEvent: the request must be an object { boost, vm, flags, callback, refData, timeoutMs? }, got ${String(request)}`);
    this.regs.eax = dword(request.boost, 'callPriorityVmEvent', 'boost');
    this.regs.ecx = dword(request.flags, 'callPriorityVmEvent', 'flags');
    this.regs.edi = dword(request.timeoutMs ?? 0, 'callPriorityVmEvent', 'timeoutMs');
    this.regs.ebx = dword(request.vm, 'callPriorityVmEvent', 'vm');
    return this.eventCall(SERVICE.Call_Priority_VM_Event, 0, request.callback, dword(request.refData, 'callPriorityVmEvent', 'refData'));
  }
  cancelPriorityVmEvent(handle: number): void {
    this.regs.esi = dword(handle, 'cancelPriorityVmEvent', 'handle');
    this.call(SERVICE.Cancel_Priority_VM_Event);
  }
  beginCriticalSection(): void {
    this.call(SERVICE.Begin_Critical_Section);
  }
  endCriticalSection(): void {
    this.call(SERVICE.End_Critical_Section);
  }
  adjustExecPriority(vm: number, delta: number): void {
    this.regs.eax = dword(delta, 'adjustExecPriority', 'delta');
    this.regs.ebx = dword(vm, 'adjustExecPriority', 'vm');
    this.call(SERVICE.Adjust_Exec_Priority);
  }
  suspendVm(vm: number): void {
    this.regs.ebx = dword(vm, 'suspendVm', 'vm');
    this.call(SERVICE.Suspend_VM);
  }
  resumeVm(vm: number): void {
    this.regs.ebx = dword(vm, 'resumeVm', 'vm');
    this.call(SERVICE.Resume_VM);
  }
  execNested(): void {
    this.call(SERVICE.Begin_Nest_Exec);
    this.call(SERVICE.Resume_Exec);
    this.call(SERVICE.End_Nest_Exec);
  }
  physEoi(irqHandle: number): void {
    this.regs.eax = dword(irqHandle, 'physEoi', 'irqHandle');
    this.call(SERVICE.VPICD_Phys_EOI);
  }
  setIntRequest(vm: number, irqHandle: number): void {
    this.regs.eax = dword(irqHandle, 'setIntRequest', 'irqHandle');
    this.regs.ebx = dword(vm, 'setIntRequest', 'vm');
    this.call(SERVICE.VPICD_Set_Int_Request);
  }
  clearIntRequest(vm: number, irqHandle: number): void {
    this.regs.eax = dword(irqHandle, 'clearIntRequest', 'irqHandle');
    this.regs.ebx = dword(vm, 'clearIntRequest', 'vm');
    this.call(SERVICE.VPICD_Clear_Int_Request);
  }
  physicallyMask(irqHandle: number): void {
    this.regs.eax = dword(irqHandle, 'physicallyMask', 'irqHandle');
    this.call(SERVICE.VPICD_Physically_Mask);
  }
  physicallyUnmask(irqHandle: number): void {
    this.regs.eax = dword(irqHandle, 'physicallyUnmask', 'irqHandle');
    this.call(SERVICE.VPICD_Physically_Unmask);
  }
  setAutoMasking(irqHandle: number): void {
    this.regs.eax = dword(irqHandle, 'setAutoMasking', 'irqHandle');
    this.call(SERVICE.VPICD_Set_Auto_Masking);
  }

  sti(): void {
    ring0Watch.serviceCall();
    this.vmm.interruptsEnabled = true;
    this.vmm.preempt();
  }
  cli(): void {
    ring0Watch.serviceCall();
    this.vmm.interruptsEnabled = false;
  }
  reenterCount(): number {
    this.call(SERVICE.Get_VMM_Reenter_Count);
    return this.regs.ecx;
  }
  currentVm(): number {
    this.call(SERVICE.Get_Cur_VM_Handle);
    return this.regs.ebx;
  }
  sysVm(): number {
    this.call(SERVICE.Get_Sys_VM_Handle);
    return this.regs.ebx;
  }
  vmHandles(): number[] {
    const handles: number[] = [];
    for (const vm of this.vmm.vms) if (vm.alive) handles.push(vm.handle);
    return handles;
  }

  slot(name: string): Slot {
    return this.device.slot(name);
  }
  callback(name: string): number {
    return this.device.callbackAddress(name);
  }
  irqHandle(irq: number): number {
    const handle = this.device.irqHandles[irq] ?? 0;
    if (handle === 0) throw new Error(`device ${this.device.name} did not virtualize IRQ ${irq}`);
    return handle;
  }
  takeHardwareRequest(irq: number): boolean {
    return takeHardwareRequest(this.vmm, this.device, irq);
  }
  vxdCall(device: string, service: string): void {
    checkRegisters(this.regs, 'vxdCall', service);
    ring0Watch.serviceCall();
    vxdCall(this.vmm, this.device, device, service);
  }
  vxdData(device: string, name: string): Slot {
    return vxdData(this.vmm, device, name);
  }
  fail(kind: string, message: string): void {
    // Both are printed in one-line reports (shared/oneLine.ts); a kind is a name.
    if (typeof kind !== 'string' || kind === '') throw new TypeError(`fail: the kind must be a non-empty string, got ${typeof kind === 'string' ? 'an empty one' : typeof kind}`);
    if (typeof message !== 'string') throw new TypeError(`fail: the message must be a string, got ${typeof message}`);
    this.vmm.violation(oneLine(kind, 200), 'device', oneLine(message), this.device.name, 0);
  }

  private eventCall(service: ServiceEntry, vm: number, callback: string, refData: number): number {
    // `vm || ebx` as a branch: the expression mixed a small integer with EBX's double (a handle is
    // above 2^31), and such a mix is a heap number made per call (measured).
    if (vm) this.regs.ebx = vm;
    // The address computed here, not returned by a call: it is above 2^31, and a number that is
    // no small integer leaves a call as a new heap number (one per event, measured).
    let procIndex = this.lastProcIndex;
    if (callback !== this.lastCallback) {
      procIndex = this.device.procIndex(callback);
      this.lastCallback = callback;
      this.lastProcIndex = procIndex;
    }
    this.regs.esi = callbackAddress(this.device.index, procIndex);
    this.regs.edx = refData;
    this.call(service);
    return this.regs.esi;
  }
}

