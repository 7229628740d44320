/**
 * A VM's ring-3 workload: a seeded, endless stream of client ops. It depends only on its seed
 * and the machine's entry points, never on what the VMM did, so the simulated runtime and a VM
 * worker thread given the same seed produce the same stream (which is what lets a threaded run
 * replay in the simulated runtime).
 */
import { Rng } from '../shared/rng.js';
import { CLI, EOI, IRET, MODE_PM, MODE_V86, STI, maskOp, newRunOp, newTrapOp, runOp, type ClientOp } from '../vmm/clientOps.js';
import type { AnyDeviceSpec } from '../vmm/device.js';
import type { Scenario } from '../scenario/scenario.js';

export interface WorkloadMix {
  /** Relative weights of the op kinds. */
  run: number;
  trap: number;
  interruptFlag: number;
  iret: number;
  /** The VM's handler ends its interrupt (a non-specific EOI to its virtual PIC). */
  eoi: number;
  /** The VM masks or unmasks a virtualized IRQ in its virtual PIC. */
  mask: number;
  mode: number;
  /** Mean virtual microseconds of a `run`. */
  runTicksMean: number;
}

export const DEFAULT_MIX: WorkloadMix = { run: 35, trap: 45, interruptFlag: 10, iret: 6, eoi: 6, mask: 2, mode: 4, runTicksMean: 60 };

export interface EntryPoint {
  device: number;
  entry: number;
}

export function entryPoints(devices: readonly AnyDeviceSpec[]): EntryPoint[] {
  return devices.flatMap((spec, device) => (spec.entries ?? []).map((_, entry) => ({ device, entry })));
}

/** The IRQs the devices virtualize: what a VM's code can mask in its virtual PIC. */
export function virtualizedIrqs(devices: readonly AnyDeviceSpec[]): number[] {
  const irqs = new Set(devices.flatMap((spec) => (spec.irqs ?? []).map((d) => d.irq)));
  return [...irqs].sort((a, b) => a - b);
}

/*
 * The ops with few possible values are the shared ones of clientOps.ts (a record may hold them,
 * nothing writes to them); `run` ops come from a table per span here. Only `trap` ops (an entry
 * point and a 16-bit argument) are made per draw.
 */
/** `run` ops by span of ticks (2 × the mean): index i holds `run i + 1`. */
const RUN_OPS = new Map<number, readonly ClientOp[]>();
/** Spans longer than this draw a new `run` op each time (a table would cost more than it saves). */
const RUN_OPS_MAX = 4096;
/** Tables kept for later workloads (a process that runs many mixes builds the others per workload). */
const RUN_TABLES_KEPT = 16;

function runOps(span: number): readonly ClientOp[] | null {
  if (!(span > 0 && span <= RUN_OPS_MAX)) return null;
  let ops = RUN_OPS.get(span);
  if (ops === undefined) {
    ops = Array.from({ length: Math.ceil(span) }, (_, i) => runOp(i + 1));
    if (RUN_OPS.size < RUN_TABLES_KEPT) RUN_OPS.set(span, ops);
  }
  return ops;
}

/** What a draw picks, in the order the weights are laid out on [0, total). */
const PICK_RUN = 0;
const PICK_TRAP = 1;
const PICK_FLAG = 2;
const PICK_IRET = 3;
const PICK_EOI = 4;
const PICK_MASK = 5;
const PICK_MODE = 6;
const TWO_32 = 4294967296;

type TrapOp = Extract<ClientOp, { op: 'trap' }>;

/*
 * A run's own workload (RunLoop) uses its trap op objects in turn, per VM: a new object per trap
 * was most of what a simulator step allocated (20 of 37 bytes a step, default scenario; 56 of 63
 * on the event path). Who holds a trap op the workload handed out, and until when:
 *   - the core, during its step;
 *   - the VM, as its restart op while it is blocked (vmm.ts), until it runs again: the core
 *     takes no other op of that VM before;
 *   - its clientOp record, while the record is in the machine's tail (RecordRing: at most
 *     `capacity` clientOp records); a copy of a record has its own op (copyRecord).
 * An object is written again after `trapOpsKept` later trap ops of the same VM, so after at least
 * as many later clientOp records: past every holder above while `trapOpsKept` > the tail
 * (trapOpsKeptFor). No more than that: a snapshot of the run (state/fork.ts) copies them all.
 * The threaded VMM actor does the same in its op rings (opRings.ts). A caller that keeps ops (the
 * explorer's tapes, the shrinker's scripts) takes new objects (the default).
 */

/** Trap op objects to use in turn beside a tail of `tailRecords` records (see above). */
export function trapOpsKeptFor(tailRecords: number): number {
  return Math.max(0, tailRecords) + 1;
}

export class Workload {
  private vif = true;
  private pm = false;
  /** IRQs this VM's code has masked (bit n = IRQ n). */
  private masked = 0;
  private readonly total: number;
  /**
   * The first 32-bit draw that picks past each kind (`pick`, as rng.float() * total, would pick
   * past it): one integer comparison per kind instead of float arithmetic, the same picks. Null
   * when a weight is negative or not finite (then `pick` runs for every draw).
   */
  private readonly below: Float64Array | null;
  private readonly runSpan: number;
  private readonly runTable: readonly ClientOp[] | null;
  /** The trap op objects used in turn (made as first needed, at most `trapOpsKept`), and the next to use. */
  private readonly trapOps: TrapOp[] = [];
  private trapAt = 0;

  constructor(
    private readonly rng: Rng,
    private readonly entries: readonly EntryPoint[],
    private readonly mix: WorkloadMix = DEFAULT_MIX,
    private readonly irqs: readonly number[] = [],
    /**
     * 0: every trap op is a new object, the caller's to keep. Above 0: trap ops are this many
     * objects used in turn, each written again `trapOpsKept` trap ops later (see trapOpsKeptFor).
     */
    private readonly trapOpsKept = 0,
  ) {
    this.total = mix.run + (entries.length > 0 ? mix.trap : 0) + mix.interruptFlag + mix.iret + mix.eoi + (irqs.length > 0 ? mix.mask : 0) + mix.mode;
    if (!(this.total > 0)) throw new Error('workload mix has no weight');
    this.runSpan = mix.runTicksMean * 2;
    this.runTable = runOps(this.runSpan);
    const weights = [mix.run, mix.trap, mix.interruptFlag, mix.iret, mix.eoi, mix.mask, mix.mode];
    this.below = weights.every((w) => w >= 0 && Number.isFinite(w)) ? this.thresholds() : null;
  }

  next(): ClientOp {
    const rng = this.rng;
    // A VM that disabled interrupts, or masked an IRQ, enables it again soon, as real client code
    // does (rng.chance(0.5) and rng.chance(0.25), compared as integers: the same outcomes).
    if (!this.vif && rng.nextU32() < TWO_32 / 2) return this.setIf(true);
    if (this.masked !== 0 && rng.nextU32() < TWO_32 / 4) return this.setMask(31 - Math.clz32(this.masked), false);
    const u = rng.nextU32();
    const below = this.below;
    const picked = below === null ? this.pick(u)
      : u < below[PICK_RUN]! ? PICK_RUN : u < below[PICK_TRAP]! ? PICK_TRAP : u < below[PICK_FLAG]! ? PICK_FLAG
        : u < below[PICK_IRET]! ? PICK_IRET : u < below[PICK_EOI]! ? PICK_EOI : u < below[PICK_MASK]! ? PICK_MASK : PICK_MODE;
    switch (picked) {
      case PICK_RUN: {
        const i = rng.int(this.runSpan);
        return this.runTable === null ? newRunOp(1 + i) : this.runTable[i]!;
      }
      case PICK_TRAP: {
        const target = this.entries[rng.int(this.entries.length)]!;
        const arg = rng.int(0x10000);
        return this.trapOpsKept === 0 ? newTrapOp(target.device, target.entry, arg) : this.reusedTrap(target, arg);
      }
      case PICK_FLAG: return this.setIf(!this.vif);
      case PICK_IRET: return IRET;
      case PICK_EOI: return EOI;
      case PICK_MASK: {
        const irq = this.irqs[rng.int(this.irqs.length)]!;
        return this.setMask(irq, (this.masked & (1 << irq)) === 0);
      }
      default:
        this.pm = !this.pm;
        return this.pm ? MODE_PM : MODE_V86;
    }
  }

  /**
   * What the 32-bit draw `u` picks: the definition, float arithmetic on [0, total) as the stream
   * was first drawn (a kind without entries or IRQs has no share).
   */
  private pick(u: number): number {
    const mix = this.mix;
    let pick = (u / TWO_32) * this.total;
    if ((pick -= mix.run) < 0) return PICK_RUN;
    if (this.entries.length > 0 && (pick -= mix.trap) < 0) return PICK_TRAP;
    if ((pick -= mix.interruptFlag) < 0) return PICK_FLAG;
    if ((pick -= mix.iret) < 0) return PICK_IRET;
    if ((pick -= mix.eoi) < 0) return PICK_EOI;
    if (this.irqs.length > 0 && (pick -= mix.mask) < 0) return PICK_MASK;
    return PICK_MODE;
  }

  /**
   * For each kind, the least draw that `pick` sends past it (2^32 when none does). With weights >= 0 each `pick -= w` moves the same way as `u`, rounding included,
   * so `pick(u)` never decreases as `u` grows: a binary search finds each bound exactly.
   */
  private thresholds(): Float64Array {
    const below = new Float64Array(PICK_MODE);
    for (let kind = PICK_RUN; kind < PICK_MODE; kind++) {
      let lo = 0;
      let hi = TWO_32; // pick(hi) > kind, taking pick(2^32) as past every kind
      while (lo < hi) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.pick(mid) > kind) hi = mid;
        else lo = mid + 1;
      }
      below[kind] = lo;
    }
    return below;
  }

  /** A trap op in the next of the kept objects (the same fields as a new one). */
  private reusedTrap(target: EntryPoint, arg: number): TrapOp {
    const ops = this.trapOps;
    let i = this.trapAt;
    if (i === this.trapOpsKept) i = 0;
    this.trapAt = i + 1;
    if (i === ops.length) {
      const op = newTrapOp(target.device, target.entry, arg);
      ops.push(op);
      return op;
    }
    const op = ops[i]!;
    op.device = target.device;
    op.entry = target.entry;
    op.arg = arg;
    return op;
  }

  private setMask(irq: number, masked: boolean): ClientOp {
    this.masked = masked ? this.masked | (1 << irq) : this.masked & ~(1 << irq);
    return maskOp(irq, masked);
  }

  private setIf(enabled: boolean): ClientOp {
    this.vif = enabled;
    return enabled ? STI : CLI;
  }
}

/** One workload per VM id, each with its own child seed. */
export class WorkloadSet {
  /** By VM id (an array: this is asked at every step). */
  private readonly workloads: (Workload | undefined)[] = [];

  constructor(
    private readonly seed: number,
    private readonly entries: readonly EntryPoint[],
    private readonly mix: WorkloadMix = DEFAULT_MIX,
    private readonly irqs: readonly number[] = [],
    /** Each VM's workload's (Workload): 0, trap ops the caller keeps. */
    private readonly trapOpsKept = 0,
  ) {}

  next(vmId: number): ClientOp {
    let workload = this.workloads[vmId];
    if (workload === undefined) {
      workload = new Workload(new Rng(this.seed).child(`vm${vmId}`), this.entries, this.mix, this.irqs, this.trapOpsKept);
      this.workloads[vmId] = workload;
    }
    return workload.next();
  }
}

/**
 * The seeded client workload of a scenario: every VM's ops from `seed` (one definition, so every
 * run and rerun draws the same). `trapOpsKept` above 0: trap op objects are used again (Workload),
 * for a caller that keeps none (the same ops, field for field).
 */
export function seededWorkload(seed: number, scenario: Pick<Scenario, 'devices' | 'mix'>, trapOpsKept = 0): WorkloadSet {
  const { entries, irqs } = machineShape(scenario.devices);
  return new WorkloadSet(seed, entries, { ...DEFAULT_MIX, ...scenario.mix }, irqs, trapOpsKept);
}

/** Entry points and virtualized IRQs per device list, computed once (a campaign builds thousands of machines of one scenario). */
const shapes = new WeakMap<readonly AnyDeviceSpec[], { entries: EntryPoint[]; irqs: number[] }>();

function machineShape(devices: readonly AnyDeviceSpec[]): { entries: EntryPoint[]; irqs: number[] } {
  let shape = shapes.get(devices);
  if (shape === undefined) shapes.set(devices, (shape = { entries: entryPoints(devices), irqs: virtualizedIrqs(devices) }));
  return shape;
}
