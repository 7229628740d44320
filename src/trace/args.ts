/**
 * What a click on a timeline item shows: the record's fields, formatted the way a VxD writer
 * reads them (handles and registers in hex), and the registers of a callback as it was entered
 * (SPEC §3: EBX = current VM handle, EDX = RefData, EBP = the current VM's Client_Reg_Struc).
 */
import { ClientRegs } from '../shared/clientRegs.js';
import type { RecordOf } from '../vmm/history.js';
import { VmState } from '../vmm/vm.js';
import type { Args } from './model.js';

export function hex(value: number): string {
  return `0x${(value >>> 0).toString(16).padStart(8, '0')}`;
}

const clientPointers = new Map<number, number>();

/** EBP at a callback: the Client_Reg_Struc pointer of the VM that was current, from the VM's control block. */
export function clientPointer(vmId: number): number {
  let pointer = clientPointers.get(vmId);
  if (pointer === undefined) {
    pointer = new VmState(vmId, ClientRegs.allocate(false)).cb.CB_Client_Pointer;
    clientPointers.set(vmId, pointer);
  }
  return pointer;
}

export function where(r: { seq: number; ticks: number; vm: number; ctx: string; reenter: number }): Args {
  return { record: r.seq, ticks: r.ticks, 'current VM': r.vm, context: r.ctx, 're-enter count': r.reenter };
}

export function dispatchArgs(r: RecordOf<'dispatch'>): Args {
  return {
    callback: r.callback, kind: r.kind, handle: r.inline ? '0 (called inside the service)' : hex(r.handle),
    RefData: hex(r.refData), EBX: hex(r.ebx), EDX: hex(r.refData), EBP: hex(clientPointer(r.vm)),
    'target VM': r.targetVm, 'timed out (CF)': r.timedOut, flags: hex(r.flags), ...where(r),
  };
}

export function scheduledArgs(r: RecordOf<'scheduled'>): Args {
  return {
    service: r.service, callback: r.callback, kind: r.kind, handle: hex(r.handle), RefData: hex(r.refData),
    'target VM': r.targetVm, boost: hex(r.boost), flags: hex(r.flags),
    ...(r.latitude ? { latitude: 'could have been called now' } : {}), ...where(r),
  };
}

export function cancelArgs(r: RecordOf<'cancel'>): Args {
  return {
    device: r.device, service: `Cancel_${r.kind === 'global' ? 'Global' : r.kind === 'vm' ? 'VM' : 'Priority_VM'}_Event`,
    handle: hex(r.handle), outcome: r.outcome,
    ...(r.victimKind !== null ? { victim: `${r.victimKind} ${hex(r.victimHandle)}` } : {}),
    ...(r.inCallbackOf !== 0 ? { 'inside callback of': r.inCallbackOf < 0 ? 'an inline call' : hex(r.inCallbackOf) } : {}),
    ...where(r),
  };
}

export function violationArgs(r: RecordOf<'violation'>): Args {
  return {
    violation: r.kind, severity: r.severity === 'vmm' ? 'VMM bug' : 'device bug', message: r.message,
    ...(r.device !== '' ? { device: r.device } : {}), ...(r.handle !== 0 ? { handle: hex(r.handle) } : {}), ...where(r),
  };
}
