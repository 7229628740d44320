/**
 * The VMM core: one virtual CPU, its VMs, the event queues, the PICs and the devices. Pure and
 * deterministic: every nondeterministic answer comes from the injected ChoiceSource, every
 * client step from the injected ClientOpSource, and everything that happens leaves as a history
 * record through the injected sink (the effects, as data). No clocks, threads or I/O.
 *
 * `step()` runs one step of the current VM's client code, with everything it causes: interrupts
 * taken before it, the ring-0 code it traps into, and the event processing on the way back.
 */
import { ClientRegs } from '../shared/clientRegs.js';
import { CheckpointRecorder } from './checkpoints.js';
import { VmBlocked } from './blocked.js';
import type { ClientOp, ClientOpSource } from './clientOps.js';
import { type ChoiceSource, type IrqPoint } from './choices.js';
import { DEFAULT_VMM_CONFIG, type VmmConfig } from './config.js';
import { type AnyDeviceSpec } from './device.js';
import { DeviceRuntime } from './deviceRuntime.js';
import type { CallbackTarget } from './dispatch.js';
import { EventTable, type EventNode } from './eventTable.js';
import type { CpuContext } from './history.js';
import type { RecordSink } from './recordKinds.js';
import { Pic } from './pic.js';
import { processEvents } from './processing.js';
import { Regs, copyRegs } from './regs.js';
import { dispatchHardwareInterrupt, virtualizeIrqs, type IrqSharer } from './services/vpicd.js';
import { checkIretTimeouts, deliverVirtualInterrupts, virtualEoi, virtualIret, writeVirtualMask } from './services/virtualPic.js';
import { VmState } from './vm.js';
import { Boost } from './constants.js';
import { bootMessages, createMessages } from './control.js';
import * as rec from './records.js';

/** How deep hardware interrupts may nest in ring 0 before it is reported as a runaway handler. */
export const REENTER_MAX = 32;

/** An IRQ source: one device's hardware on one line. */
export interface IrqSource {
  readonly index: number;
  readonly device: DeviceRuntime;
  readonly irq: number;
  readonly meanIntervalTicks: number;
}

export class Vmm {
  readonly config: VmmConfig;
  readonly regs = new Regs();
  private readonly framePool: Regs[] = [];
  /** The one preemption point handed to the choice source (valid for that call only: no allocation per step). */
  private readonly irqPoint: IrqPoint = { ticks: 0, inRing0: false, eligibleSources: 0 };
  readonly pic = new Pic();
  /** The trace hash and its checkpoints, fed as each record is made (records.ts). */
  readonly trace = new CheckpointRecorder();
  readonly table: EventTable;
  readonly globals: EventNode[] = [];
  readonly vms: VmState[] = [];
  readonly devices: DeviceRuntime[] = [];
  /** Callback addresses decoded, kept here: a module-level WeakMap keyed by machines kept every dead machine alive through young-generation GCs. */
  readonly callbackTargets = new Map<number, CallbackTarget>();
  readonly sources: IrqSource[] = [];
  /** Bit i: source i exists. */
  allSources = 0;
  /** Bit i: source i's device asserts a request its Hw_Int_Proc has not taken yet. */
  assertedSources = 0;
  /** VPICD's table: the devices that virtualized each IRQ line, in order. */
  readonly irqLines: (IrqSharer[] | undefined)[] = new Array<IrqSharer[] | undefined>(16);
  current!: VmState;
  ctx: CpuContext = 'vm';
  reenter = 0;
  /** Hw_Int_Procs running now, nested ones included (at any re-enter count: SPEC §1 interrupt time). */
  hwIntDepth = 0;
  /** VPICD descriptor procedures (Virt_Int_Proc, EOI_Proc, ...) running now. */
  vpicdProcDepth = 0;
  /** System_Control procedures running now. */
  controlDepth = 0;
  /** The VM that has the device focus (Set_Device_Focus). */
  focusVm = 1;
  /** The CPU's interrupt flag in ring 0 (a VM's own IF is virtual: VmState.vif). */
  interruptsEnabled = true;
  ticks = 0;
  seq = 0;
  processing = false;
  /** The registers a processing pass saved once it found work (null outside such a pass). */
  passFrame: Regs | null = null;
  /** Handle of the event whose callback is running (-1 for an inline call), 0 outside callbacks. */
  runningCallback = 0;
  critOwner: VmState | null = null;
  critCount = 0;
  /** The VM the time slicer gave Cur_Run_VM_Boost to, and when. */
  curRunHolder!: VmState;
  sliceStartTicks = 0;
  /** The callback of the last queued event dispatched (named in a livelock report). */
  lastDispatchedCallback = 0;
  /** Callbacks already reported as livelocked, so a run reports each once. */
  readonly livelocked = new Set<number>();
  private reenterOverflowReported = false;
  /** Hardware interrupts taken so far (the livelock bound discounts those a pass is fed). */
  interruptsTaken = 0;

  constructor(
    config: Partial<VmmConfig>,
    deviceSpecs: readonly AnyDeviceSpec[],
    readonly choices: ChoiceSource,
    readonly ops: ClientOpSource,
    readonly sink: RecordSink,
  ) {
    this.config = { ...DEFAULT_VMM_CONFIG, ...config };
    if (!Number.isInteger(this.config.vms) || this.config.vms < 1 || this.config.vms > 64) {
      throw new RangeError(`vms must be an integer from 1 to 64, got ${this.config.vms}`);
    }
    this.table = new EventTable(this.config.handleMode, this.config.eventPoolSize);
    for (let i = 0; i < this.config.vms; i++) this.createVm();
    this.current = this.vms[0]!;
    this.curRunHolder = this.current;
    deviceSpecs.forEach((spec, index) => this.devices.push(new DeviceRuntime(this, spec, index)));
    virtualizeIrqs(this);
    for (const device of this.devices) device.init();
    bootMessages(this);
  }

  get systemVm(): VmState {
    return this.vms[0]!;
  }

  /**
   * SPEC §1: "Interrupt time is any moment inside a Hw_Int_Proc (at any re-enter count ...), or
   * while the re-enter count is > 0." Only asynchronous services may be called then.
   */
  get atInterruptTime(): boolean {
    return this.hwIntDepth > 0 || this.reenter > 0;
  }

  /** Runs one client step of the current VM and everything it causes. */
  step(): void {
    this.ticks += 1;
    this.preempt();
    const vm = this.current;
    if (!vm.runnable) {
      // Nothing of this VM may run (blocked or suspended): the scheduler picks another.
      this.returnToRing3();
      return;
    }
    if (vm.restartOp === null && this.choices.clientStillRunning?.(vm.id) === true) return;
    // A VM never executes an instruction while a virtual interrupt it can take is pending
    // (it may have become current, or able to run, since it was last checked).
    deliverVirtualInterrupts(this, vm);
    const op = vm.restartOp ?? this.ops.next(vm.id);
    vm.restartOp = null;
    rec.clientOp(this, op);
    this.execute(vm, op);
  }

  private execute(vm: VmState, op: ClientOp): void {
    switch (op.op) {
      case 'run':
        this.ticks += op.ticks;
        return;
      case 'cli':
      case 'sti':
        vm.vif = op.op === 'sti';
        vm.client.set('EFlags', (vm.client.get('EFlags') & ~0x200) | (vm.vif ? 0x200 : 0));
        if (vm.vif) this.returnToRing3();
        return;
      case 'iret':
        virtualIret(this, vm);
        this.returnToRing3();
        return;
      case 'eoi':
        virtualEoi(this, vm);
        this.returnToRing3();
        return;
      case 'mask':
        writeVirtualMask(this, vm, op.irq, op.masked);
        this.returnToRing3();
        return;
      case 'mode':
        vm.pm = op.pm;
        return;
      case 'trap':
        this.trap(vm, op);
        return;
    }
  }

  private trap(vm: VmState, op: Extract<ClientOp, { op: 'trap' }>): void {
    const device = this.devices[op.device];
    const entry = device?.spec.entries?.[op.entry];
    if (device === undefined || entry === undefined) {
      this.violation('badTrap', 'device', `client trapped into unknown entry ${op.device}.${op.entry}`, '', 0);
      return;
    }
    this.ctx = 'vmm';
    this.regs.eax = op.arg;
    this.regs.ebx = vm.handle;
    this.regs.ebp = vm.cb.CB_Client_Pointer;
    try {
      device.run(entry);
    } catch (error) {
      if (!(error instanceof VmBlocked)) throw error;
      vm.restartOp = op;
    }
    rec.trapReturn(this);
    this.ctx = 'vm';
    this.interruptsEnabled = true;
    this.returnToRing3();
  }

  /**
   * A preemption point: the hardware may raise IRQs here (the strategy, or the real PIC worker,
   * says which) and, with interrupts enabled, the CPU takes the ones the PIC presents.
   */
  preempt(): void {
    if (!this.interruptsEnabled) return;
    // Sources whose device still asserts its last request cannot assert again (edge-triggered).
    const eligible = this.allSources & ~this.assertedSources;
    if (eligible !== 0) {
      const point = this.irqPoint;
      point.ticks = this.ticks;
      point.inRing0 = this.ctx !== 'vm';
      point.eligibleSources = eligible;
      const raised = this.choices.irqArrivals(point) & eligible;
      if (raised !== 0) this.raise(raised);
    }
    this.takeInterrupts();
  }

  private raise(sourceMask: number): void {
    let lines = 0;
    this.assertedSources |= sourceMask;
    for (const source of this.sources) {
      if ((sourceMask & (1 << source.index)) === 0) continue;
      source.device.hwRequests |= 1 << source.irq;
      lines |= 1 << source.irq;
      this.pic.raise(source.irq);
    }
    rec.irqRaise(this, sourceMask, lines);
  }

  /** A device's Hw_Int_Proc took its hardware's request: the source may assert again. */
  takeHardwareRequest(device: DeviceRuntime, irq: number): boolean {
    const bit = 1 << irq;
    const raised = (device.hwRequests & bit) !== 0;
    device.hwRequests &= ~bit;
    const source = device.sourceIndex.get(irq);
    if (source !== undefined) this.assertedSources &= ~(1 << source);
    return raised;
  }

  takeInterrupts(): void {
    let irq: number;
    while (this.interruptsEnabled && (irq = this.pic.pending()) >= 0) {
      // A handler that ends its interrupt (EOI) and enables interrupts before it is done can
      // re-enter itself without end; the real ring-0 stack would overflow. Report it once and
      // hold further IRQs (they stay requested) until the nesting unwinds.
      if (this.reenter >= REENTER_MAX) {
        if (!this.reenterOverflowReported) {
          this.reenterOverflowReported = true;
          this.violation('reenterOverflow', 'device', `hardware interrupts nested ${REENTER_MAX} deep (a Hw_Int_Proc that enables interrupts after its EOI re-enters itself?)`, '', 0);
        }
        return;
      }
      this.interrupt(irq);
    }
  }

  /** The CPU takes a hardware interrupt: VPICD runs the Hw_Int_Procs of the line. */
  private interrupt(irq: number): void {
    const fromRing0 = this.ctx !== 'vm';
    const savedCtx = this.ctx;
    const saved = this.saveRegs();
    if (fromRing0) this.reenter++;
    this.hwIntDepth++;
    this.ctx = 'hwint';
    this.interruptsEnabled = false;
    this.pic.acknowledge(irq);
    this.interruptsTaken++;
    rec.irqEnter(this, irq, fromRing0);
    const claimedBy = dispatchHardwareInterrupt(this, irq);
    rec.irqExit(this, irq, claimedBy);
    this.hwIntDepth--;
    // IRET: the interrupted code's registers and flags come back.
    this.restoreRegs(saved);
    this.ctx = savedCtx;
    this.interruptsEnabled = true;
    if (fromRing0) this.reenter--;
    else this.returnToRing3();
  }

  /**
   * Ring 0 is about to IRET to ring 3: the event-processing point (SPEC §1). Pending events run,
   * IRET time-outs are noticed, and the VM about to run takes a virtual interrupt it can take.
   * A VPICD procedure run here can itself be interrupted and leave work behind: repeat (a
   * simulated interrupt disables the VM's interrupts, so this settles at once).
   */
  returnToRing3(): void {
    for (let round = 0; round < 4; round++) {
      processEvents(this, true);
      const seq = this.seq;
      checkIretTimeouts(this);
      deliverVirtualInterrupts(this, this.current);
      if (this.seq === seq) break; // no VPICD procedure ran: nothing new can be pending
    }
  }

  /**
   * Saves the register file (an interrupt's or a processing pass's frame). Frames are reused
   * from a stack: saves and restores nest strictly, and this runs several times per step.
   */
  saveRegs(): Regs {
    const frame = this.framePool.pop() ?? new Regs();
    copyRegs(frame, this.regs);
    return frame;
  }

  restoreRegs(saved: Regs): void {
    copyRegs(this.regs, saved);
    this.framePool.push(saved);
  }

  /** Gives back a frame from `saveRegs` without restoring it (it served as a "before" snapshot). */
  releaseFrame(frame: Regs): void {
    this.framePool.push(frame);
  }

  vmById(id: number): VmState | undefined {
    const vm = this.vms[id - 1];
    return vm?.alive ? vm : undefined;
  }

  vmByHandle(handle: number): VmState | undefined {
    for (const vm of this.vms) if (vm.alive && vm.handle === handle >>> 0) return vm;
    return undefined;
  }

  execPriority(vm: VmState): number {
    return vm.boost + (vm === this.curRunHolder ? Boost.Cur_Run_VM_Boost : 0);
  }

  createVm(): VmState {
    const vm = new VmState(this.vms.length + 1, ClientRegs.allocate(this.config.sharedMemory));
    this.vms.push(vm);
    // During the run (not at boot, where bootMessages creates every VM after device init).
    if (this.current !== undefined) {
      rec.vmLifecycle(this, 'create', vm.id);
      createMessages(this, vm);
    }
    return vm;
  }

  violation(kind: string, severity: 'device' | 'vmm', message: string, device: string, handle: number): void {
    rec.violation(this, kind, severity, message, device, handle);
  }
}
