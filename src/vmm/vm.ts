/**
 * Virtual machines (SPEC §2): handles, control blocks, the per-VM event lists, and the state a
 * priority event's restrictions read.
 */
import { ClientRegs, EFLAGS_IF } from '../shared/clientRegs.js';
import { CB_SIGNATURE } from './constants.js';
import type { ClientOp } from './clientOps.js';
import type { EventKind, EventNode } from './eventTable.js';

/** VM handles are control-block addresses, as in the real VMM. */
const CB_BASE = 0x80460000;
const CB_STRIDE = 0x1000;

export interface ControlBlock {
  CB_VM_Status: number;
  CB_High_Linear: number;
  CB_Client_Pointer: number;
  CB_VMID: number;
  CB_Signature: number;
}

/** One simulated interrupt: its IRQ, the VM's interrupt flag before it, its IRET time-out. */
export interface IretFrame {
  irq: number;
  vif: boolean;
  deadlineTicks: number;
  /** The time-out passed (IRET_Proc was called with carry set); the VM's iret still pops it. */
  timedOut: boolean;
}

/**
 * A dispatched event's callback that blocked on the critical section in this VM: what it takes
 * to call it again from the start (its event is over: the handle is stale, the node free).
 */
export interface BlockedCallback {
  kind: EventKind;
  handle: number;
  /** The callback's address. */
  callback: number;
  refData: number;
  /** The VM a VM or priority event waited for (0 for a global event). */
  targetVm: number;
  /** A priority event called after its time-out: it runs again with the carry flag set. */
  timedOut: boolean;
  flags: number;
}

export class VmState {
  handle: number;
  readonly cb: ControlBlock;
  alive = true;
  /**
   * False from VM_Not_Executeable on ("the virtual machine is no longer capable of executing"):
   * the scheduler never picks it again, while its handle stays valid until Destroy_VM is over.
   */
  executable = true;
  suspended = false;
  blockedOnCritical = false;
  /** The VM's virtual interrupt flag (its client EFlags IF). */
  vif = true;
  pm = false;
  nestedExec = 0;
  /** Sum of the boosts applied and not yet removed. */
  boost = 0;
  /**
   * The part of `boost` the VMM applied and will remove itself (a pending priority event's, the
   * critical-section owner's, VPICD's Time_Critical_Boost, a `Call_Priority_VM_Event` running at
   * once); the rest is the devices' own (`Adjust_Exec_Priority`, a boost kept with
   * PEF_Dont_Unboost), which is all `Adjust_Exec_Priority` may take away.
   */
  heldBoost = 0;
  readonly vmEvents: EventNode[] = [];
  readonly priorityEvents: EventNode[] = [];
  /**
   * The VM's virtual PIC (SPEC §6), bit n = IRQ n: the requests VPICD_Set_Int_Request set and
   * nothing cleared yet (level-triggered: simulating one does not clear it), the mask the VM
   * wrote, and the IRQs simulated and not yet ended by the VM's virtual EOI.
   */
  virtRequests = 0;
  virtMask = 0;
  virtInService = 0;
  /** Simulated interrupts the VM has not returned from (innermost last). */
  readonly iretStack: IretFrame[] = [];
  /** Frames popped off `iretStack`, for the next simulated interrupt (no object per interrupt). */
  private readonly spareIretFrames: IretFrame[] = [];
  /** Time_Critical_Boost applied for a request made while the VM was not current. */
  virtBoosted = false;
  /** A trap that blocked (on the critical section): re-executed when the VM runs again. */
  restartOp: ClientOp | null = null;
  /** An event callback that blocked (on the critical section): run again first when the VM is current at a processing point. */
  blockedCallback: BlockedCallback | null = null;

  constructor(public id: number, public client: ClientRegs) {
    this.handle = (CB_BASE + id * CB_STRIDE) >>> 0;
    this.cb = { CB_VM_Status: 0, CB_High_Linear: 0, CB_Client_Pointer: 0, CB_VMID: 0, CB_Signature: 0 };
    this.startCb(client);
  }

  /**
   * The VM a new one of this id on `client` would be: a machine reset for another run keeps its
   * VM objects (Vmm.reset; test/actors/runLoopRestart.test.ts holds the result field by field).
   */
  reset(id: number, client: ClientRegs): void {
    this.id = id;
    this.client = client;
    this.handle = (CB_BASE + id * CB_STRIDE) >>> 0;
    this.alive = this.executable = this.vif = true;
    this.suspended = this.blockedOnCritical = this.pm = this.virtBoosted = false;
    this.nestedExec = this.boost = this.heldBoost = this.virtRequests = this.virtMask = this.virtInService = 0;
    this.vmEvents.length = this.priorityEvents.length = this.iretStack.length = this.spareIretFrames.length = 0;
    this.restartOp = null;
    this.blockedCallback = null;
    this.startCb(client);
  }

  /** The control block and client registers a new VM starts with. */
  private startCb(client: ClientRegs): void {
    const cb = this.cb;
    cb.CB_VM_Status = 0;
    cb.CB_High_Linear = (0x80000000 + this.id * 0x01000000) >>> 0;
    cb.CB_Client_Pointer = (this.handle + 0x100) >>> 0;
    cb.CB_VMID = this.id;
    cb.CB_Signature = CB_SIGNATURE;
    client.set('EFlags', EFLAGS_IF | 0x2);
    client.set('CS', 0xf000);
    client.set('SS', 0x0030);
  }

  /** A simulated interrupt begins: its frame goes on `iretStack`. */
  pushIretFrame(irq: number, vif: boolean, deadlineTicks: number): void {
    const frame = this.spareIretFrames.pop();
    if (frame === undefined) {
      this.iretStack.push({ irq, vif, deadlineTicks, timedOut: false });
      return;
    }
    frame.irq = irq;
    frame.vif = vif;
    frame.deadlineTicks = deadlineTicks;
    frame.timedOut = false;
    this.iretStack.push(frame);
  }

  /**
   * Gives back a frame popped off `iretStack` once the caller has read it: the next
   * `pushIretFrame` rewrites it.
   */
  releaseIretFrame(frame: IretFrame): void {
    this.spareIretFrames.push(frame);
  }

  /** VPICD is simulating a hardware interrupt into the VM (PEF_Wait_Not_HW_Int waits for the end). */
  get simulatingHwInt(): boolean {
    const stack = this.iretStack;
    for (let i = 0; i < stack.length; i++) if (!stack[i]!.timedOut) return true;
    return false;
  }

  get isSystemVm(): boolean {
    return this.id === 1;
  }

  get runnable(): boolean {
    return this.alive && this.executable && !this.suspended && !this.blockedOnCritical;
  }
}

export function vmIdFromHandle(handle: number): number {
  const offset = (handle >>> 0) - CB_BASE;
  return offset > 0 && offset % CB_STRIDE === 0 ? offset / CB_STRIDE : -1;
}

/** Keeps a machine's first `count` VM objects for its next run, each reset as a new VM on a block `client` gives; drops the rest. */
export function keepVms(vms: VmState[], count: number, client: () => ClientRegs): void {
  while (vms.length > count) vms.pop();
  for (let i = 0; i < vms.length; i++) vms[i]!.reset(i + 1, client());
}
