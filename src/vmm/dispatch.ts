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
import { VmBlocked } from './blocked.js';
import { vmSnapshot } from './vmSnapshot.js';
import * as rec from './records.js';
import { stringWord } from './traceHash.js';

/**
 * What a callback address names, remembered by the machine. Keyed by the address's int32 bit
 * pattern: a callback address is above 2^31 (0xC0dd_pp_0), a boxed double that a Map hashes
 * ~2× slower than a small integer (measured: 14 vs 7 ns per lookup, up to three per event).
 * An address that is no uint32 (a device's garbage in ESI) is named afresh each time: its own
 * number as a key could meet another address's bit pattern.
 */
export function callbackTarget(vmm: Machine, address: number): CallbackTarget {
  const byAddress = vmm.callbackTargets;
  const uint32 = address === address >>> 0;
  const key = address | 0;
  let target = uint32 ? byAddress.get(key) : undefined;
  if (target === undefined) {
    const at = decodeCallback(address);
    const device = at === undefined ? undefined : vmm.devices[at.device];
    const proc = at === undefined ? undefined : device?.procNames[at.proc];
    const name = device !== undefined && proc !== undefined ? `${device.name}.${proc}` : `0x${(address >>> 0).toString(16)}`;
    const nameWord = stringWord(name);
    target = proc === undefined ? { name, nameWord, device: undefined, procIndex: -1 } : { name, nameWord, device, procIndex: at!.proc };
    if (uint32 && byAddress.size < 4096) byAddress.set(key, target);
  }
  return target;
}

/**
 * Calls an event's callback. `handle` is 0 when a Call_XX_Event runs the callback inside the
 * call; `targetVm` is the VM a VM or priority event waited for (0 for a global event). False
 * when the callback blocked on the critical section: the current VM keeps it to run again
 * (`restart`: this call is that run, recorded as a restart, not a second dispatch).
 */
export function invokeCallback(
  vmm: Machine, kind: EventKind, handle: number, callback: number, refData: number, targetVm: number, timedOut: boolean, flags: number,
  restart = false,
): boolean {
  if (invokeTarget(vmm, kind, handle, callbackTarget(vmm, callback), refData, targetVm, timedOut, flags, restart)) return true;
  // Its event is over (dispatched once, its node free): the VM that blocked keeps what it takes to call it again.
  vmm.current.blockedCallback = { kind, handle, callback, refData, targetVm, timedOut, flags };
  return false;
}

/** `invokeCallback` of a callback already resolved (a Call_XX_Event names it in its calledNow record first). */
export function invokeTarget(
  vmm: Machine, kind: EventKind, handle: number, target: CallbackTarget, refData: number, targetVm: number, timedOut: boolean, flags: number,
  restart = false,
): boolean {
  const { name, nameWord, device, procIndex } = target;
  const regs = vmm.regs;
  regs.ebx = vmm.current.handle;
  regs.edx = refData;
  regs.ebp = vmm.current.cb.CB_Client_Pointer;
  regs.eflags = (timedOut ? regs.eflags | EFLAGS_CF : regs.eflags & ~EFLAGS_CF) & ~EFLAGS_DF;
  if (restart) rec.blockedCallback(vmm, 'restart', kind, handle, name, nameWord, targetVm, timedOut, flags, vmm.current.id, 0);
  else {
    rec.dispatch(
      vmm, kind, handle, name, nameWord, refData, targetVm, handle === 0, timedOut, regs,
      flags, kind === 'priority' ? vmSnapshot(vmm, vmm.current) : null,
    );
  }
  if (device === undefined) {
    vmm.violation('badCallback', 'device', `callback address ${name} is no procedure`, '', handle);
    rec.callbackReturn(vmm, handle, name, nameWord, []);
    return true;
  }
  // The registers as they were, in a reused frame (no allocation per callback).
  const before = vmm.saveRegs();
  const savedIf = vmm.interruptsEnabled;
  const savedCallback = vmm.runningCallback;
  const savedCtx = vmm.ctx;
  const effectsBefore = vmm.callbackEffects;
  vmm.interruptsEnabled = true;
  vmm.runningCallback = handle === 0 ? -1 : handle;
  vmm.ticks += 1;
  let blocked = false;
  try {
    device.runIndex(procIndex, timedOut);
  } catch (error) {
    if (!(error instanceof VmBlocked)) throw error;
    blocked = true;
  }
  vmm.runningCallback = savedCallback;
  vmm.ctx = savedCtx;
  if (blocked) {
    // Blocked on the critical section (critical.ts allows it only in a callback a processing pass
    // dispatched): unwound, the registers and the CPU as after a return; the caller keeps it.
    // The blocking Begin_Critical_Section is one of the calls counted: the others came before it.
    const effects = vmm.callbackEffects - effectsBefore - 1;
    rec.blockedCallback(vmm, 'block', kind, handle, name, nameWord, targetVm, timedOut, flags, vmm.current.id, effects);
    vmm.restoreRegs(before);
    vmm.interruptsEnabled = savedIf;
    if (savedCallback === 0) vmm.callbackEffects = 0;
    return false;
  }
  if (savedCallback === 0) vmm.callbackEffects = 0;
  const clobbered = restoreClobbered(regs, before);
  vmm.releaseFrame(before);
  if (clobbered.length > 0) {
    vmm.violation('registerClobbered', 'device', `${name} changed ${clobbered.join(', ')}, which a callback must preserve`, device.name, handle);
  }
  if (takeDirectionFlag(regs)) {
    vmm.violation('directionFlagSet', 'device', `${name} returned with the direction flag set`, device.name, handle);
  }
  if (!vmm.interruptsEnabled) {
    vmm.violation('interruptsLeftDisabled', 'device', `${name} returned with interrupts disabled`, device.name, handle);
  }
  vmm.interruptsEnabled = savedIf;
  rec.callbackReturn(vmm, handle, name, nameWord, clobbered);
  return true;
}
