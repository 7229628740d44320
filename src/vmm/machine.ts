/**
 * The machine as the services and the processing code see it: the state they read and write
 * and the few operations they call. `Vmm` (vmm.ts) implements it; everything below vmm.ts takes
 * this interface, never the class, so that the layers import only downwards (layers.ts).
 *
 * Two operations belong to upper layers and reach the services through this interface instead
 * of an import: `preempt` (taking hardware interrupts runs VPICD's Hw_Int_Proc dispatch, a
 * service, and the event processing on the way back) and `processEvents` (processing dispatches
 * priority events, a service, yet Resume_Exec and VM destruction, services too, pass through an
 * event-processing point). The class wires them to cpu.ts and processing.ts.
 */
import type { ChoiceSource } from './choices.js';
import type { ControlMessage } from './constants.js';
import type { VmmConfig } from './config.js';
import type { AnyDeviceSpec, IrqDescriptor, Slot } from './device.js';
import type { EventNode, EventTable } from './eventTable.js';
import type { CpuContext } from './history.js';
import type { Pic } from './pic.js';
import type { RecordingMachine } from './records.js';
import type { Regs } from './regs.js';
import type { VmState } from './vm.js';

/** A device instance as the services see it (DeviceRuntime implements it). */
export interface MachineDevice {
  readonly name: string;
  /** The trace hash's word of `name` (traceHash.ts), computed once per spec: most records name their device. */
  readonly nameWord: number;
  readonly spec: AnyDeviceSpec;
  readonly index: number;
  readonly state: unknown;
  readonly procNames: readonly string[];
  /** Bit n: the hardware raised IRQ n and the Hw_Int_Proc has not taken the request yet. */
  hwRequests: number;
  /** IRQ → the handle VPICD gave this device for it (0: not virtualized by it). */
  readonly irqHandles: number[];
  /** IRQ → the index of this device's IRQ source on it (Machine.sources), -1 for none. */
  readonly sourceIndex: number[];
  slot(name: string): Slot;
  /** A procedure's index in `procNames` (throws for an unknown name). */
  procIndex(proc: string): number;
  callbackAddress(proc: string): number;
  /** The procedure index of a trap entry point (its index in `spec.entries`), -1 for none. */
  entryProc(entry: number): number;
  /** Runs a procedure in ring 0 with the registers as they are; returns what it returned. */
  run(proc: string, carry?: boolean): boolean | void;
  /** `run` by procedure index: the hot paths resolve names once. */
  runIndex(procIndex: number, carry?: boolean): boolean | void;
}

/** What a callback address names: "device.proc" (or the bare address), and the procedure if it is one. */
export interface CallbackTarget {
  readonly name: string;
  /** The trace hash's word of `name` (stringWord), for the records that name the callback. */
  readonly nameWord: number;
  /** undefined when the address names no procedure. */
  readonly device: MachineDevice | undefined;
  /** The procedure's index on `device`; -1 when the address names no procedure. */
  readonly procIndex: number;
}

/**
 * One device on one IRQ line in VPICD's table. The descriptor's procedures are resolved to
 * indices once, at VPICD_Virtualize_IRQ (-1: the descriptor names none), so that every sharer has
 * one shape whatever its descriptor declares.
 */
export interface IrqSharer {
  device: MachineDevice;
  descriptor: IrqDescriptor;
  irq: number;
  handle: number;
  iretTimeoutMs: number;
  hwIntProc: number;
  virtIntProc: number;
  eoiProc: number;
  iretProc: number;
  maskChangeProc: number;
}

/** An IRQ source: one device's hardware on one line. */
export interface IrqSource {
  readonly index: number;
  readonly device: MachineDevice;
  readonly irq: number;
  readonly meanIntervalTicks: number;
}

export interface Machine extends RecordingMachine {
  readonly config: VmmConfig;
  readonly choices: ChoiceSource;
  readonly regs: Regs;
  readonly pic: Pic;
  readonly table: EventTable;
  readonly globals: EventNode[];
  readonly vms: VmState[];
  readonly devices: readonly MachineDevice[];
  /** Callback addresses decoded (dispatch.ts). */
  readonly callbackTargets: Map<number, CallbackTarget>;
  readonly sources: IrqSource[];
  /** Bit i: source i exists. */
  allSources: number;
  /** Bit i: source i's device asserts a request its Hw_Int_Proc has not taken yet. */
  assertedSources: number;
  /** VPICD's table: the devices that virtualized each IRQ line, in order. */
  readonly irqLines: (IrqSharer[] | undefined)[];
  current: VmState;
  ctx: CpuContext;
  reenter: number;
  /** Hw_Int_Procs running now, nested ones included. */
  hwIntDepth: number;
  /** VPICD descriptor procedures running now. */
  vpicdProcDepth: number;
  /** System_Control procedures running now. */
  controlDepth: number;
  /** The System_Control message the innermost of them handles (null: none runs). */
  controlMessage: ControlMessage | null;
  /** The VM that has the device focus (Set_Device_Focus). */
  focusVm: number;
  /** The CPU's interrupt flag in ring 0. */
  interruptsEnabled: boolean;
  ticks: number;
  processing: boolean;
  /** The registers a processing pass saved once it found work (null outside such a pass). */
  passFrame: Regs | null;
  /** Handle of the event whose callback is running (-1 for an inline call), 0 outside callbacks. */
  runningCallback: number;
  /** The processing pass running was entered on the way back to ring 3 (no ring-0 frame below it): its callbacks may block. */
  passFromRing3: boolean;
  /** Service calls with an effect made by the callbacks running now (0 outside callbacks): dispatch.ts. */
  callbackEffects: number;
  critOwner: VmState | null;
  critCount: number;
  /** The VM the time slicer gave Cur_Run_VM_Boost to, and when. */
  curRunHolder: VmState;
  sliceStartTicks: number;
  /**
   * The scheduler's last pick, while nothing it reads has changed since (scheduler.ts,
   * `schedulingChanged`); null: the next pick scans the VMs.
   */
  pickedVm: VmState | null;
  lastDispatchedCallback: number;
  readonly livelocked: Set<number>;
  eventsFromInterrupts: number;
  /**
   * No pending priority event times out before this tick, and no simulated interrupt's IRET:
   * lower bounds of their deadlines (Infinity: none pending), so that a processing point looks
   * for time-outs only once one may be due. Raised to the true earliest deadline when a look
   * finds none due, lowered as each deadline is set.
   */
  priorityTimeoutTicks: number;
  iretTimeoutTicks: number;

  readonly systemVm: VmState;
  /** SPEC §1 interrupt time: inside a Hw_Int_Proc, or the re-enter count above zero. */
  readonly atInterruptTime: boolean;

  /** A preemption point: IRQs may be raised and, with interrupts enabled, are taken (cpu.ts). */
  preempt(): void;
  /** An event-processing point (processing.ts). */
  processEvents(mayTaskSwitch: boolean): void;
  /** Ring 0 returns to ring 3 (cpu.ts): events are processed, IRET time-outs noticed, a virtual interrupt taken. */
  returnToRing3(): void;
  saveRegs(): Regs;
  restoreRegs(saved: Regs): void;
  releaseFrame(frame: Regs): void;
  vmById(id: number): VmState | undefined;
  vmByHandle(handle: number): VmState | undefined;
  execPriority(vm: VmState): number;
  violation(kind: string, severity: 'device' | 'vmm', message: string, device: string, handle: number): void;
}
