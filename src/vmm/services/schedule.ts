/**
 * What the Call_/Schedule_ services share: making a pending event, and running a callback
 * inside the call. A `Call_XX_Event` that runs its callback at once preserves the caller's
 * registers (the service "uses flags" only) and returns ESI = 0.
 */
import { EFLAGS_CF } from '../../shared/clientRegs.js';
import { callbackTarget, invokeTarget } from '../dispatch.js';
import type { EventKind, EventNode } from '../eventTable.js';
import type { VmSnapshot } from '../history.js';
import type { ServiceName } from '../services.js';
import type { Machine } from '../machine.js';
import { vmSnapshot } from '../vmSnapshot.js';
import * as rec from '../records.js';

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

/**
 * Runs the callback that ESI names inside the call (`targetVm`: the VM a VM or priority event
 * names, 0 for a global one). The caller's registers come back, and ESI = 0 says the callback ran.
 * ESI is read here, not passed: a callback address is above 2^31, and a number that is no small
 * integer passed to a call is a new heap number (one per event, measured on the VMM thread).
 */
export function callNow(
  vmm: Machine, kind: EventKind, service: ServiceName, serviceWord: number, refData: number, targetVm: number, flags = 0,
): void {
  const saved = vmm.saveRegs();
  const target = callbackTarget(vmm, vmm.regs.esi);
  rec.calledNow(vmm, kind, service, serviceWord, target.name, target.nameWord, refData, targetVm);
  invokeTarget(vmm, kind, 0, target, refData, targetVm, false, flags);
  vmm.restoreRegs(saved);
  vmm.regs.esi = 0;
}

function targetSnapshot(vmm: Machine, vmId: number): VmSnapshot | null {
  const vm = vmm.vmById(vmId);
  return vm === undefined ? null : vmSnapshot(vmm, vm);
}

/**
 * Allocates the event and reports it; the caller queues it. ESI = the handle (a refusal if the
 * pool is empty). `latitude`: the rules allowed calling now, and the VMM chose to schedule. A
 * priority event also has its boost, flags and time-out (deadline -1: none).
 */
export function makeEvent(
  vmm: Machine, kind: EventKind, service: ServiceName, serviceWord: number, callback: number, refData: number, targetVm: number, latitude: boolean,
  boost = 0, flags = 0, deadlineTicks = -1,
): EventNode | undefined {
  const node = vmm.table.allocate(kind, callback, refData, vmm.seq);
  if (node === undefined) {
    vmm.violation('eventPoolExhausted', 'device', `all ${vmm.table.capacity} event nodes are pending`, '', 0);
    refuse(vmm);
    return undefined;
  }
  node.vm = targetVm;
  node.boost = boost;
  node.flags = flags;
  node.deadlineTicks = deadlineTicks;
  if (vmm.atInterruptTime) vmm.eventsFromInterrupts++;
  const target = callbackTarget(vmm, callback);
  rec.scheduled(
    vmm, kind, service, serviceWord, node.handle, target.name, target.nameWord, refData, targetVm, boost, flags, deadlineTicks, latitude,
    kind === 'priority' ? targetSnapshot(vmm, targetVm) : null,
  );
  vmm.regs.esi = node.handle;
  return node;
}
