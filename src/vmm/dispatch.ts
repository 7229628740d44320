/**
 * Calling an event callback with the DDK's contract (SPEC §3, "The callback contract"):
 * EBX = current VM, EDX = RefData, EBP = the current VM's Client_Reg_Struc; interrupts enabled;
 * afterwards EBP, ESP and the segment registers must be as they were, and interrupts enabled.
 */
import { EFLAGS_CF } from '../shared/clientRegs.js';
import { decodeCallback } from './callbackAddress.js';
import type { EventKind } from './eventTable.js';
import { EFLAGS_DF, restoreClobbered, takeDirectionFlag } from './regs.js';
import type { CallbackTarget, Machine } from './machine.js';
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

function callbackTarget(vmm: Machine, address: number): CallbackTarget {
  const byAddress = vmm.callbackTargets;
  let target = byAddress.get(address);
  if (target === undefined) {
    const at = decodeCallback(address);
    const device = at === undefined ? undefined : vmm.devices[at.device];
    const proc = at === undefined ? undefined : device?.procNames[at.proc];
    const name = device !== undefined && proc !== undefined ? `${device.name}.${proc}` : `0x${(address >>> 0).toString(16)}`;
    target = { name, device: proc === undefined ? undefined : device, proc };
    if (byAddress.size < 4096) byAddress.set(address, target);
  }
  return target;
}

/** "device.proc" for a callback address (remembered: names appear in every event record). */
export function callbackName(vmm: Machine, address: number): string {
  return callbackTarget(vmm, address).name;
}

export function invokeCallback(vmm: Machine, call: CallbackCall): void {
  const { name, device, proc } = callbackTarget(vmm, call.callback);
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
  // The registers as they were, in a reused frame (no allocation per callback).
  const before = vmm.saveRegs();
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
  vmm.releaseFrame(before);
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
