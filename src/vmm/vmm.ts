/**
 * The VMM core: one virtual CPU, its VMs, the event queues, the PICs and the devices. Pure and
 * deterministic: every nondeterministic answer comes from the injected ChoiceSource, every
 * client step from the injected ClientOpSource, and everything that happens leaves as a history
 * record through the injected sink (the effects, as data). No clocks, threads or I/O.
 *
 * `step()` runs one step of the current VM's client code, with everything it causes: interrupts
 * taken before it, the ring-0 code it traps into, and the event processing on the way back.
 */
import { ClientRegs, type ClientRegsPool } from '../shared/clientRegs.js';
import { CheckpointRecorder } from './checkpoints.js';
import type { ClientOpSource } from './clientOps.js';
import { type ChoiceSource, type IrqPoint } from './choices.js';
import { vmmConfig, type VmmConfig } from './config.js';
import { preempt, returnToRing3, takeHardwareRequest, takeInterrupts, type CpuMachine } from './cpu.js';
import { type AnyDeviceSpec } from './device.js';
import { DeviceRuntime } from './deviceRuntime.js';
import { EventTable, type EventNode } from './eventTable.js';
import type { CpuContext } from './history.js';
import { RecordRing } from './recordRing.js';
import type { CallbackTarget, IrqSharer, IrqSource, MachineDevice } from './machine.js';
import type { RecordSink } from './recordKinds.js';
import { RecordStream } from './recordStream.js';
import { Pic } from './pic.js';
import { processEvents } from './processing.js';
import { schedulingChanged } from './scheduler.js';
import { Regs, copyRegs } from './regs.js';
import { virtualizeIrqs } from './services/vpicd.js';
import { deliverVirtualInterrupts } from './services/virtualPic.js';
import { executeClientOp } from './executeOp.js';
import { keepVms, VmState, vmIdFromHandle } from './vm.js';
import { Boost, type ControlMessage } from './constants.js';
import { afterMachineControl, bootMessages, createMessages } from './control.js';
import * as rec from './records.js';

export { REENTER_MAX } from './cpu.js';
export type { IrqSource } from './machine.js';

/**
 * Parts a caller that builds many machines of one scenario keeps from one to the next (the
 * explorer, see explore/machineKit.ts); the machine resets each before it uses it.
 */
export interface ReusedParts {
  /** Costly to allocate (its string-word caches); reset here to the hash of no records. */
  trace?: CheckpointRecorder;
  /** The VMs' client register blocks, when memory is not shared (zeroed as each VM takes one). */
  clientRegs?: ClientRegsPool;
}

/** Empties a list, keeping its storage (setting the length is a runtime call that gives it up: ~70 ns against ~15). */
function empty(list: unknown[]): void {
  while (list.length !== 0) list.pop();
}

/** The register file of a new machine (reset copies it). */
const NEW_REGS = new Regs();

/** The machine put together. The layers below see it only as a `Machine` (machine.ts, layers.ts). */
export class Vmm implements CpuMachine {
  readonly config: VmmConfig;
  /** Where every record goes (recordStream.ts); a function given is wrapped in one. */
  sink: RecordStream;
  readonly regs = new Regs();
  private readonly framePool: Regs[] = [];
  /** The one preemption point handed to the choice source (valid for that call only: no allocation per step). */
  readonly irqPoint: IrqPoint = { ticks: 0, inRing0: false, eligibleSources: 0 };
  readonly pic = new Pic();
  /** The trace hash and its checkpoints, fed as each record is made (records.ts). */
  readonly trace: CheckpointRecorder;
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
  controlMessage: ControlMessage | null = null;
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
  passFromRing3 = false;
  callbackEffects = 0;
  critOwner: VmState | null = null;
  critCount = 0;
  /** The VM the time slicer gave Cur_Run_VM_Boost to, and when. */
  curRunHolder!: VmState;
  sliceStartTicks = 0;
  /** The scheduler's last pick, until what it reads changes (scheduler.ts); not state: a cache. */
  pickedVm: VmState | null = null;
  /** The callback of the last queued event dispatched (named in a livelock report). */
  lastDispatchedCallback = 0;
  /** Callbacks already reported as livelocked, so a run reports each once. */
  readonly livelocked = new Set<number>();
  reenterOverflowReported = false;
  /** Preemption points in ring 0 this client step with interrupts enabled and no IRQ raised (cpu.ts: the hardware is fair). */
  ring0PointsWithoutIrq = 0;
  /** Where VMs take their client registers from, if a caller lends blocks (ReusedParts). */
  private readonly regsPool: ClientRegsPool | null;
  /** Events scheduled at interrupt time so far (the livelock bound discounts those a pass is fed). */
  eventsFromInterrupts = 0;
  /** Lower bounds of the pending time-outs (machine.ts says how they are kept). */
  priorityTimeoutTicks = Infinity;
  iretTimeoutTicks = Infinity;

  constructor(
    config: Partial<VmmConfig>,
    deviceSpecs: readonly AnyDeviceSpec[],
    /** The run's strategy, workload and record sink: a machine `reset` for another run may take new ones. */
    public choices: ChoiceSource, public ops: ClientOpSource, sink: RecordSink | RecordStream,
    reused: ReusedParts = {},
    /** The objects its records are made in, which keep the tail a report shows (recordRing.ts); by default none kept. */
    readonly records: RecordRing = new RecordRing(0),
  ) {
    this.sink = RecordStream.of(sink);
    this.trace = reused.trace?.reset() ?? new CheckpointRecorder();
    this.config = vmmConfig(config);
    if (!Number.isInteger(this.config.vms) || this.config.vms < 1 || this.config.vms > 64) {
      throw new RangeError(`vms must be an integer from 1 to 64, got ${this.config.vms}`);
    }
    this.regsPool = this.config.sharedMemory ? null : reused.clientRegs?.reset() ?? null;
    this.table = new EventTable(this.config.handleMode, this.config.eventPoolSize);
    for (let index = 0; index < deviceSpecs.length; index++) this.devices.push(new DeviceRuntime(this, deviceSpecs[index]!, index));
    this.boot();
  }

  /**
   * Back to the machine the constructor built, for another run of the same scenario and config
   * (the explorer runs thousands: explore/machineKit.ts): every field as a new machine has it,
   * each device's `state()` made again, then the same boot (its records go to the new sink).
   * Kept across runs: the configuration, the devices' compiled code and slot views, the decoded
   * callback addresses (a function of the device specs), the scratch register frames (each is
   * written whole before it is read), the VM objects (each reset as a new VM: keepVms) and
   * VPICD's IRQ tables (a function of the device specs: virtualizeIrqs).
   * test/actors/runLoopRestart.test.ts spoils every other field before a reset and holds the
   * result to a new machine's, field by field.
   */
  reset(choices: ChoiceSource, ops: ClientOpSource, sink: RecordSink | RecordStream): void {
    this.choices = choices;
    this.ops = ops;
    this.sink = RecordStream.of(sink);
    this.records.clear();
    this.trace.reset();
    this.regsPool?.reset();
    copyRegs(this.regs, NEW_REGS);
    this.irqPoint.ticks = this.irqPoint.eligibleSources = 0;
    this.irqPoint.inRing0 = false;
    this.pic.irr = this.pic.isr = this.pic.imr = 0;
    this.table.reset();
    empty(this.globals);
    keepVms(this.vms, this.config.vms, () => this.regsPool?.take() ?? ClientRegs.allocate(this.config.sharedMemory));
    this.assertedSources = 0;
    this.current = this.curRunHolder = undefined as unknown as VmState;
    this.pickedVm = null;
    this.ctx = 'vm';
    this.reenter = this.hwIntDepth = this.vpicdProcDepth = this.controlDepth = 0;
    this.controlMessage = null;
    this.focusVm = 1;
    this.interruptsEnabled = true;
    this.ticks = this.seq = this.runningCallback = this.eventsFromInterrupts = 0;
    this.processing = this.reenterOverflowReported = this.passFromRing3 = false;
    this.callbackEffects = this.ring0PointsWithoutIrq = 0;
    this.passFrame = null;
    this.critOwner = null;
    this.critCount = this.sliceStartTicks = this.lastDispatchedCallback = 0;
    // Clearing a Set makes it a new table: only when it holds something.
    if (this.livelocked.size !== 0) this.livelocked.clear();
    this.priorityTimeoutTicks = this.iretTimeoutTicks = Infinity;
    for (const device of this.devices) device.reset();
    this.boot();
  }

  /** What a new machine does once its parts exist: its VMs, VPICD's table, device init, the boot messages. */
  private boot(): void {
    for (let i = this.vms.length; i < this.config.vms; i++) this.createVm();
    this.current = this.vms[0]!;
    this.curRunHolder = this.current;
    schedulingChanged(this);
    virtualizeIrqs(this);
    for (const device of this.devices) device.init();
    bootMessages(this);
    // The system VM is entered for the first time: what the boot messages scheduled runs first.
    afterMachineControl(this);
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
    // The fairness count is the step's own (cpu.ts): none comes in, none is left (state/machine.ts).
    this.ring0PointsWithoutIrq = 0;
    this.stepOnce();
    this.ring0PointsWithoutIrq = 0;
  }

  private stepOnce(): void {
    this.ticks += 1;
    preempt(this);
    const vm = this.current;
    if (!vm.runnable) {
      // Nothing of this VM may run (blocked or suspended): the scheduler picks another.
      returnToRing3(this);
      return;
    }
    if (vm.blockedCallback !== null) {
      // A callback it blocked in runs again before anything else of the VM (processing.ts).
      returnToRing3(this);
      return;
    }
    if (vm.restartOp === null && this.choices.clientStillRunning?.(vm.id) === true) return;
    // A VM never executes an instruction while a virtual interrupt it can take is pending
    // (it may have become current, or able to run, since it was last checked).
    deliverVirtualInterrupts(this, vm);
    const op = vm.restartOp ?? this.ops.next(vm.id);
    vm.restartOp = null;
    rec.clientOp(this, op);
    executeClientOp(this, vm, op);
  }

  /**
   * The two operations the lower layers reach through `Machine` (machine.ts says why): a
   * preemption point (cpu.ts) and an event-processing point (processing.ts).
   */
  preempt(): void {
    preempt(this);
  }

  processEvents(mayTaskSwitch: boolean): void {
    processEvents(this, mayTaskSwitch);
  }

  /** The CPU's interrupt side, kept as methods for callers of the class (cpu.ts). */
  takeHardwareRequest(device: MachineDevice, irq: number): boolean {
    return takeHardwareRequest(this, device, irq);
  }

  takeInterrupts(): void {
    takeInterrupts(this);
  }

  returnToRing3(): void {
    returnToRing3(this);
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
    // A handle is its VM's control-block address (vm.ts): the id is computed, not searched for.
    const vm = this.vms[vmIdFromHandle(handle) - 1];
    return vm?.alive === true && vm.handle === handle >>> 0 ? vm : undefined;
  }

  execPriority(vm: VmState): number {
    return vm.boost + (vm === this.curRunHolder ? Boost.Cur_Run_VM_Boost : 0);
  }

  createVm(): VmState {
    const vm = new VmState(this.vms.length + 1, this.regsPool?.take() ?? ClientRegs.allocate(this.config.sharedMemory));
    this.vms.push(vm);
    schedulingChanged(this);
    // During the run (not at boot, where bootMessages creates every VM after device init).
    if (this.current !== undefined) {
      rec.vmLifecycle(this, 'create', vm.id);
      createMessages(this, vm);
      afterMachineControl(this);
    }
    return vm;
  }

  violation(kind: string, severity: 'device' | 'vmm', message: string, device: string, handle: number): void {
    rec.violation(this, kind, severity, message, device, handle);
  }
}
