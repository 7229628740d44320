/**
 * Calling an event callback with the DDK's contract (SPEC §3, "The callback contract"):
 * EBX = current VM, EDX = RefData, EBP = the current VM's Client_Reg_Struc; interrupts enabled;
 * afterwards EBP, ESP and the segment registers must be as they were, and interrupts enabled.
 */
import { EFLAGS_CF } from '../shared/clientRegs.js';
import { decodeCallback } from './deviceRuntime.js';
import type { EventKind } from './eventTable.js';
import { EFLAGS_DF, restoreClobbered, snapshotPreserved, takeDirectionFlag } from './regs.js';
import type { Vmm } from './vmm.js';
import { vmSnapshot } from './vmSnapshot.js';
import * as rec from './records.js';

export interface CallbackCall {
  kind: EventKind;
  /** 0 when a Call_XX_Event runs the callback inside the call. */
  handle: number;
  callback: number;
  refData: number;
  targetVm: number;
  timedOut: boolean;
  flags: number;
}

const names = new WeakMap<Vmm, Map<number, string>>();

/** "device.proc" for a callback address (remembered: names appear in every event record). */
/** The last machine asked about and its names (one machine asks thousands of times in a row). */
let lastVmm: Vmm | null = null;
let lastNames = new Map<number, string>();

export function callbackName(vmm: Vmm, address: number): string {
  let byAddress = vmm === lastVmm ? lastNames : names.get(vmm);
  if (byAddress === undefined) names.set(vmm, (byAddress = new Map()));
  lastVmm = vmm;
  lastNames = byAddress;
  let name = byAddress.get(address);
  if (name === undefined) {
    const at = decodeCallback(address);
    const device = at === undefined ? undefined : vmm.devices[at.device];
    const proc = at === undefined ? undefined : device?.procNames[at.proc];
    name = device !== undefined && proc !== undefined ? `${device.name}.${proc}` : `0x${(address >>> 0).toString(16)}`;
    if (byAddress.size < 4096) byAddress.set(address, name);
  }
  return name;
}

export function invokeCallback(vmm: Vmm, call: CallbackCall): void {
  const at = decodeCallback(call.callback);
  const device = at === undefined ? undefined : vmm.devices[at.device];
  const proc = at === undefined ? undefined : device?.procNames[at.proc];
  const name = callbackName(vmm, call.callback);
  const regs = vmm.regs;
  regs.ebx = vmm.current.handle;
  regs.edx = call.refData;
  regs.ebp = vmm.current.cb.CB_Client_Pointer;
  regs.eflags = (call.timedOut ? regs.eflags | EFLAGS_CF : regs.eflags & ~EFLAGS_CF) & ~EFLAGS_DF;
  rec.dispatch(
    vmm, call.kind, call.handle, name, call.refData, call.targetVm, call.handle === 0, call.timedOut, regs.ebx,
    call.flags, call.kind === 'priority' ? vmSnapshot(vmm, vmm.current) : null,
  );
  if (device === undefined || proc === undefined) {
    vmm.violation('badCallback', 'device', `callback address ${name} is no procedure`, '', call.handle);
    rec.callbackReturn(vmm, call.handle, name, []);
    return;
  }
  const before = snapshotPreserved(regs);
  const savedIf = vmm.interruptsEnabled;
  const savedCallback = vmm.runningCallback;
  const savedCtx = vmm.ctx;
  vmm.interruptsEnabled = true;
  vmm.runningCallback = call.handle === 0 ? -1 : call.handle;
  vmm.ticks += 1;
  device.run(proc, call.timedOut);
  vmm.runningCallback = savedCallback;
  vmm.ctx = savedCtx;
  const clobbered = restoreClobbered(regs, before);
  if (clobbered.length > 0) {
    vmm.violation('registerClobbered', 'device', `${name} changed ${clobbered.join(', ')}, which a callback must preserve`, device.name, call.handle);
  }
  if (takeDirectionFlag(regs)) {
    vmm.violation('directionFlagSet', 'device', `${name} returned with the direction flag set`, device.name, call.handle);
  }
  if (!vmm.interruptsEnabled) {
    vmm.violation('interruptsLeftDisabled', 'device', `${name} returned with interrupts disabled`, device.name, call.handle);
  }
  vmm.interruptsEnabled = savedIf;
  rec.callbackReturn(vmm, call.handle, name, clobbered);
}
