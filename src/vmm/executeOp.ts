/**
 * What one client op of the current VM does to the machine: its ring-3 effect (time passing, the
 * virtual interrupt flag, the virtual PIC, the mode) or, for a trap, the ring-0 handler of the
 * device entry it traps into. Ops that leave ring 0, or let a pending virtual interrupt in, pass
 * through the event-processing point on the way back (cpu.ts `returnToRing3`).
 */
import { VmBlocked } from './blocked.js';
import type { ClientOp } from './clientOps.js';
import { returnToRing3 } from './cpu.js';
import type { Machine } from './machine.js';
import { virtualEoi, virtualIret, writeVirtualMask } from './services/virtualPic.js';
import type { VmState } from './vm.js';
import * as rec from './records.js';

export function executeClientOp(m: Machine, vm: VmState, op: ClientOp): void {
  switch (op.op) {
    case 'run':
      m.ticks += op.ticks;
      return;
    case 'cli':
    case 'sti':
      vm.vif = op.op === 'sti';
      vm.client.setInterruptFlag(vm.vif);
      if (vm.vif) returnToRing3(m);
      return;
    case 'iret':
      virtualIret(m, vm);
      returnToRing3(m);
      return;
    case 'eoi':
      virtualEoi(m, vm);
      returnToRing3(m);
      return;
    case 'mask':
      writeVirtualMask(m, vm, op.irq, op.masked);
      returnToRing3(m);
      return;
    case 'mode':
      vm.pm = op.pm;
      return;
    case 'trap':
      trap(m, vm, op);
      return;
  }
}

/** A trap into a device entry: its handler runs in ring 0 with EAX = the op's argument, EBX = the VM, EBP = its client registers. */
function trap(m: Machine, vm: VmState, op: Extract<ClientOp, { op: 'trap' }>): void {
  const device = m.devices[op.device];
  const proc = device === undefined ? -1 : device.entryProc(op.entry);
  if (device === undefined || proc < 0) {
    // The VMM's trap handler reports it and returns to the VM, as from any trap: the client
    // op's frame ends (trapReturn) and the way back is an event-processing point.
    m.violation('badTrap', 'device', `client trapped into unknown entry ${op.device}.${op.entry}`, '', 0);
    rec.trapReturn(m);
    returnToRing3(m);
    return;
  }
  m.ctx = 'vmm';
  m.regs.eax = op.arg;
  m.regs.ebx = vm.handle;
  m.regs.ebp = vm.cb.CB_Client_Pointer;
  try {
    device.runIndex(proc);
  } catch (error) {
    // Blocked on the critical section: the VM executes the op again when it runs next.
    if (!(error instanceof VmBlocked)) throw error;
    vm.restartOp = op;
  }
  rec.trapReturn(m);
  m.ctx = 'vm';
  m.interruptsEnabled = true;
  returnToRing3(m);
}
