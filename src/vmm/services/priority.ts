/**
 * Call_Priority_VM_Event and Cancel_Priority_VM_Event (SPEC §4). The callback waits until its
 * VM is about to run and every restriction its flags name holds, or until its timeout passes,
 * when it is called at once, in whatever VM is current, with the carry flag set.
 */
import { Boost, PEF, PEF_VALID_MASK, TICKS_PER_MS } from '../constants.js';
import { invokeCallback } from '../dispatch.js';
import type { EventNode } from '../eventTable.js';
import { pickIndex } from '../order.js';
import type { VmState } from '../vm.js';
import type { Machine, MachineDevice } from '../machine.js';
import { applyBoost, handBoostToDevice, unboost } from './boost.js';
import { cancelEvent, hex, unlink } from './cancel.js';
import { SERVICE_WORD } from '../traceHash.js';
import { callNow, makeEvent, mayCallNow, refuse } from './schedule.js';
import { schedulingChanged } from '../scheduler.js';
import * as rec from '../records.js';

/** Garbage left in ESI by Cancel_Priority_VM_Event ("ESI garbage"), fixed so runs replay. */
const ESI_GARBAGE = 0xbaadf00d;

/** `extraPriority`: a boost about to be applied (an immediate call boosts before the callback). */
export function restrictionsMet(vmm: Machine, vm: VmState, flags: number, extraPriority = 0): boolean {
  if (flags & PEF.Wait_For_STI && !vm.vif) return false;
  if (flags & PEF.Wait_Not_Crit && (vmm.critOwner !== null || vmm.execPriority(vm) + extraPriority >= Boost.Critical_Section_Boost)) return false;
  if (flags & PEF.Wait_Not_HW_Int && vm.simulatingHwInt) return false;
  if (flags & PEF.Wait_Not_Nested_Exec && vm.nestedExec > 0) return false;
  if (flags & PEF.Wait_In_PM && !vm.pm) return false;
  return true;
}

export function callPriorityVmEvent(vmm: Machine, device: MachineDevice): void {
  const { eax: boost, ecx: flags, edi: timeoutMs } = vmm.regs;
  const reserved = flags & ~PEF_VALID_MASK;
  if (reserved !== 0) {
    vmm.violation('reservedFlags', 'device', `${device.name} passed reserved PEF bits 0x${hex(reserved)} to Call_Priority_VM_Event`, device.name, 0);
    refuse(vmm);
    return;
  }
  const vm = vmm.vmByHandle(vmm.regs.ebx);
  if (vm === undefined) {
    vmm.violation('invalidVmHandle', 'device', `${device.name} passed EBX = 0x${hex(vmm.regs.ebx)} to Call_Priority_VM_Event, which is no VM`, device.name, 0);
    refuse(vmm);
    return;
  }
  // "The boost plus the VM's current priority must stay within Reserved_Low_Boost ..
  // Reserved_High_Boost: an out-of-range boost is a device bug (reported), and the call is
  // refused." A zero boost changes nothing and is not checked (model choice).
  const boosted = vmm.execPriority(vm) + (boost | 0);
  if ((boost | 0) !== 0 && (boosted < Boost.Reserved_Low_Boost || boosted > Boost.Reserved_High_Boost)) {
    vmm.violation('boostOutOfRange', 'device', `${device.name}: boost 0x${hex(boost)} takes VM ${vm.id}'s priority to 0x${hex(boosted)}, outside Reserved_Low_Boost .. Reserved_High_Boost`, device.name, 0);
    refuse(vmm);
    return;
  }
  if ((boost | 0) >= Boost.Critical_Section_Boost && flags & PEF.Wait_Not_Crit) {
    vmm.violation('neverSatisfiable', 'device', `${device.name}: boost 0x${hex(boost)} with PEF_Wait_Not_Crit can never meet its own restriction`, device.name, 0);
  }
  const { esi: callback, edx: refData } = vmm.regs;
  const allowed = vmm.reenter === 0 && vm === vmm.current && !(flags & PEF.Always_Sched) && restrictionsMet(vmm, vm, flags, boost | 0);
  if (allowed && mayCallNow(vmm)) {
    callNowBoosted(vmm, vm, boost | 0, flags, refData);
    return;
  }
  const deadlineTicks = flags & PEF.Time_Out ? vmm.ticks + (timeoutMs >>> 0) * TICKS_PER_MS : -1;
  const node = makeEvent(vmm, 'priority', 'Call_Priority_VM_Event', SERVICE_WORD.Call_Priority_VM_Event, callback, refData, vm.id, allowed, boost | 0, flags, deadlineTicks);
  if (node === undefined) return;
  vm.priorityEvents.push(node);
  if (node.deadlineTicks >= 0) vmm.priorityTimeoutTicks = Math.min(vmm.priorityTimeoutTicks, node.deadlineTicks);
  applyBoost(vmm, node);
}

/**
 * A call that runs the callback at once boosts first: "If PriorityBoost is not zero, the service
 * boosts the priority of the virtual machine before calling the callback function", and
 * unboosts after, unless PEF_Dont_Unboost. The callback is ESI's (callNow reads it).
 */
function callNowBoosted(vmm: Machine, vm: VmState, boost: number, flags: number, refData: number): void {
  // Kept (PEF_Dont_Unboost): the device's to remove from the start, in the callback or later.
  const kept = (flags & PEF.Dont_Unboost) !== 0;
  if (boost !== 0) {
    vm.boost += boost;
    if (!kept) vm.heldBoost += boost;
    schedulingChanged(vmm);
    rec.boost(vmm, vm.id, boost, 'immediate', 0);
  }
  callNow(vmm, 'priority', 'Call_Priority_VM_Event', SERVICE_WORD.Call_Priority_VM_Event, refData, vm.id, flags);
  if (boost === 0) return;
  if (kept) {
    rec.boost(vmm, vm.id, 0, 'immediateKept', 0);
    return;
  }
  vm.boost -= boost;
  vm.heldBoost -= boost;
  schedulingChanged(vmm);
  // Its own reason, not the sign of the delta: a boost may be negative (SPEC §4: "signed").
  rec.boost(vmm, vm.id, -boost, 'immediateEnd', 0);
}

export function cancelPriorityVmEvent(vmm: Machine, device: MachineDevice): void {
  cancelEvent(vmm, device, 'priority', vmm.regs.esi);
  vmm.regs.esi = ESI_GARBAGE;
}

/** The due time-outs of one call (reused: the pass asks once per dispatch). */
const due: EventNode[] = [];

/**
 * A priority event whose time-out has passed, in any VM: it runs first, at once (carry set).
 * Of several due at once, the earliest deadline first (then the earliest scheduled): the order
 * the timer fires them, "FIFO by default"; which runs first is a choice point (SPEC §3: "The DDK
 * guarantees no order"), as among eligible priority events.
 */
export function timedOutPriorityEvent(vmm: Machine): EventNode | undefined {
  if (vmm.ticks < vmm.priorityTimeoutTicks) return undefined; // none can be due yet
  while (due.length > 0) due.pop();
  let earliest = Infinity;
  const vms = vmm.vms;
  for (let v = 0; v < vms.length; v++) {
    const vm = vms[v]!;
    // A VM that can no longer execute (being destroyed) has nothing run for it: its events wait
    // for Destroy_VM, where a device may cancel them, and are then discarded.
    if (!vm.executable) continue;
    const events = vm.priorityEvents;
    for (let i = 0; i < events.length; i++) {
      const node = events[i]!;
      if (node.deadlineTicks < 0) continue; // no PEF_Time_Out
      if (vmm.ticks >= node.deadlineTicks) due.push(node);
      else earliest = Math.min(earliest, node.deadlineTicks);
    }
  }
  if (due.length === 0) {
    vmm.priorityTimeoutTicks = earliest;
    return undefined;
  }
  if (due.length > 1) due.sort(byDeadline);
  const node = due[pickIndex(vmm, due.length)];
  while (due.length > 0) due.pop();
  return node;
}

function byDeadline(a: EventNode, b: EventNode): number {
  return a.deadlineTicks - b.deadlineTicks || a.scheduledSeq - b.scheduledSeq;
}

/**
 * The current VM's next priority event whose restrictions hold. PEF_Process_Last events are
 * considered on a second pass: only when no other event is eligible. Counted (each event's
 * restrictions read once), then the chosen one found again: no array at every processing point.
 */
export function eligiblePriorityEvent(vmm: Machine): EventNode | undefined {
  const vm = vmm.current;
  const events = vm.priorityEvents;
  if (!vm.runnable || events.length === 0) return undefined;
  let eligibleFirst = 0;
  let eligibleLast = 0;
  // Indexed loops: an array iterator per loop was a steady allocation of the VMM thread.
  for (let i = 0; i < events.length; i++) {
    const node = events[i]!;
    if (!restrictionsMet(vmm, vm, node.flags)) continue;
    if ((node.flags & PEF.Process_Last) !== 0) eligibleLast++;
    else eligibleFirst++;
  }
  const last = eligibleFirst === 0;
  const eligible = last ? eligibleLast : eligibleFirst;
  if (eligible === 0) return undefined;
  let chosen = pickIndex(vmm, eligible);
  for (let i = 0; i < events.length; i++) {
    const node = events[i]!;
    if (eligibleInPass(vmm, vm, node, last) && chosen-- === 0) return node;
  }
  return undefined;
}

function eligibleInPass(vmm: Machine, vm: VmState, node: EventNode, last: boolean): boolean {
  return ((node.flags & PEF.Process_Last) !== 0) === last && restrictionsMet(vmm, vm, node.flags);
}

export function dispatchPriorityEvent(vmm: Machine, node: EventNode, timedOut: boolean): void {
  unlink(vmm, node);
  // The node is free from here on and a callback may reuse it: keep what the call and the boost need.
  const { vm, boost, flags, handle, callback, refData } = node;
  vmm.table.release(node);
  if (timedOut) unboost(vmm, vm, boost, flags, handle, 'timeout');
  else if ((flags & PEF.Dont_Unboost) !== 0) handBoostToDevice(vmm, vm, boost);
  vmm.lastDispatchedCallback = callback;
  invokeCallback(vmm, 'priority', handle, callback, refData, vm, timedOut, flags);
  if (!timedOut) unboost(vmm, vm, boost, flags, handle, 'callback');
}
