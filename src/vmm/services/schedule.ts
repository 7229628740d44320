/**
 * What the Call_/Schedule_ services share: making a pending event, and running a callback
 * inside the call. A `Call_XX_Event` that runs its callback at once preserves the caller's
 * registers (the service "uses flags" only) and returns ESI = 0.
 */
import { EFLAGS_CF } from '../../shared/clientRegs.js';
import { invokeCallback, callbackName } from '../dispatch.js';
import type { EventKind, EventNode } from '../eventTable.js';
import type { VmSnapshot } from '../history.js';
import type { ServiceName } from '../services.js';
import type { Machine } from '../machine.js';
import { vmSnapshot } from '../vmSnapshot.js';
import * as rec from '../records.js';

/**
 * What a Call_/Schedule_ service asks for: read from the registers into one object per call, so
 * that the rules each service applies read as the DDK states them.
 */
export interface EventRequest {
  kind: EventKind;
  service: ServiceName;
  callback: number;
  refData: number;
  /** VM id for a VM or priority event; 0 for a global one. */
  targetVm: number;
  boost: number;
  flags: number;
  deadlineTicks: number;
}

/**
 * A Call_/Schedule_ service refused its call (the caller reported why): the carry flag is set and
 * ESI is never 0, which would mean "the callback already ran" (SPEC §4, model choice). ESI keeps
 * what it held (the callback's address), or all ones if that was 0.
 */
export function refuse(vmm: Machine): void {
  vmm.regs.eflags |= EFLAGS_CF;
  if (vmm.regs.esi === 0) vmm.regs.esi = 0xffffffff;
}

/** Whether a Call_XX_Event whose rules allow running now really does (the latitude choice). */
export function mayCallNow(vmm: Machine): boolean {
  return !vmm.config.latitude || vmm.choices.callNow();
}

export function callNow(vmm: Machine, request: EventRequest): void {
  const saved = vmm.saveRegs();
  rec.calledNow(vmm, request.kind, request.service, callbackName(vmm, request.callback), request.refData, request.targetVm);
  invokeCallback(vmm, request.kind, 0, request.callback, request.refData, request.targetVm, false, request.flags);
  vmm.restoreRegs(saved);
  vmm.regs.esi = 0;
}

function targetSnapshot(vmm: Machine, vmId: number): VmSnapshot | null {
  const vm = vmm.vmById(vmId);
  return vm === undefined ? null : vmSnapshot(vmm, vm);
}

/** Allocates the event and reports it; the caller queues it. ESI = the handle (a refusal if the pool is empty). */
export function makeEvent(vmm: Machine, request: EventRequest, latitude: boolean): EventNode | undefined {
  const node = vmm.table.allocate(request.kind, request.callback, request.refData, vmm.seq);
  if (node === undefined) {
    vmm.violation('eventPoolExhausted', 'device', `all ${vmm.table.capacity} event nodes are pending`, '', 0);
    refuse(vmm);
    return undefined;
  }
  node.vm = request.targetVm;
  node.boost = request.boost;
  node.flags = request.flags;
  node.deadlineTicks = request.deadlineTicks;
  rec.scheduled(
    vmm, request.kind, request.service, node.handle, callbackName(vmm, request.callback), request.refData, request.targetVm,
    request.boost, request.flags, request.deadlineTicks, latitude,
    request.kind === 'priority' ? targetSnapshot(vmm, request.targetVm) : null,
  );
  vmm.regs.esi = node.handle;
  return node;
}
