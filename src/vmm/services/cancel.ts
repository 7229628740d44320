/**
 * Cancel_Global_Event, Cancel_VM_Event and Cancel_Priority_VM_Event share this (SPEC §3,
 * "Handles and cancelling"): handle 0 is a no-op; a live event of the matching kind leaves its
 * queue; a stale or mismatched handle is a device bug in `checked` mode. In `pooled` mode the
 * handle names only a node, so a stale handle cancels whatever event lives there now, silently.
 * Cancel_VM_Event also names the VM (EBX): "Cancel_VM_Event's EBX must be the VM the event was
 * scheduled for; a different one is a device bug (reported, nothing cancelled)" (SPEC §4).
 */
import type { EventKind, EventNode } from '../eventTable.js';
import type { Machine, MachineDevice } from '../machine.js';
import { removeBoost } from './boost.js';
import * as rec from '../records.js';

export function cancelEvent(vmm: Machine, device: MachineDevice, kind: EventKind, handle: number, vmHandle = 0): void {
  const inCallbackOf = vmm.runningCallback;
  if (handle === 0) {
    rec.cancel(vmm, kind, handle, device, inCallbackOf, 'zero', null, 0);
    return;
  }
  const found = vmm.table.lookup(handle);
  if (found.status === 'invalid') {
    rec.cancel(vmm, kind, handle, device, inCallbackOf, 'invalid', null, 0);
    vmm.violation('invalidHandle', 'device', `${device.name} cancelled 0x${hex(handle)}, which was never an event handle`, device.name, handle);
    return;
  }
  if (found.status === 'stale') {
    rec.cancel(vmm, kind, handle, device, inCallbackOf, 'stale', null, 0);
    if (vmm.config.handleMode === 'checked') {
      // The handle is spent once its event is dispatched: cancelling it from inside (or from an
      // interrupt of) its own callback is the same bug, said as what the driver sees.
      const spent = inCallbackOf === handle ? 'whose callback is running now (its handle was spent when it was dispatched)' : 'which already ran, was cancelled, or was discarded when its VM was destroyed';
      vmm.violation('staleCancel', 'device', `${device.name} cancelled ${kind} event 0x${hex(handle)}, ${spent}`, device.name, handle);
    }
    return;
  }
  const node = found.node;
  if (node.kind !== kind) {
    rec.cancel(vmm, kind, handle, device, inCallbackOf, 'wrongService', node.kind, node.handle);
    vmm.violation('wrongCancelService', 'device', `${device.name} cancelled a ${node.kind} event (0x${hex(handle)}) with the ${kind} cancel service`, device.name, handle);
    return;
  }
  const named = kind === 'vm' ? vmm.vmByHandle(vmHandle) : undefined;
  if (kind === 'vm' && named?.id !== node.vm) {
    rec.cancel(vmm, kind, handle, device, inCallbackOf, 'wrongVm', node.kind, node.handle);
    // EBX named by its VM too: a raw handle sent the reader to a replay to learn which VM it was.
    const ebx = `0x${hex(vmHandle)} (${named === undefined ? 'no live VM\'s handle' : `VM ${named.id}'s handle`})`;
    vmm.violation('cancelWrongVm', 'device', `${device.name} cancelled VM ${node.vm}'s event 0x${hex(handle)} with EBX = ${ebx}`, device.name, handle);
    return;
  }
  unlink(vmm, node);
  if (node.kind === 'priority') removeBoost(vmm, node, 'cancel');
  vmm.table.release(node);
  rec.cancel(vmm, kind, handle, device, inCallbackOf, 'cancelled', node.kind, node.handle);
}

/** Takes a pending event out of the queue it waits in. */
export function unlink(vmm: Machine, node: EventNode): void {
  const list = node.kind === 'global' ? vmm.globals : node.kind === 'vm' ? vmm.vmById(node.vm)?.vmEvents : vmm.vmById(node.vm)?.priorityEvents;
  const index = list?.indexOf(node) ?? -1;
  if (list === undefined || index < 0) throw new Error(`live ${node.kind} event 0x${hex(node.handle)} is in no queue`);
  // Removes it in place, order kept (splice would allocate the array of removed nodes).
  for (let i = index + 1; i < list.length; i++) list[i - 1] = list[i]!;
  list.pop();
}

export function hex(value: number): string {
  return (value >>> 0).toString(16);
}
