/**
 * One device instance in a run: its state, its shared handle slots, its procedures' addresses,
 * and the hardware requests its IRQ sources have raised and its Hw_Int_Proc has not yet taken.
 */
import { callbackAddress } from './callbackAddress.js';
import type { AnyDeviceSpec, DeviceProc, Slot } from './device.js';
import type { Machine, MachineDevice } from './machine.js';
import { Ring0Context } from './ring0.js';
import { ring0Watch, type Ring0Where } from './ring0Watch.js';
import { stringWord } from './traceHash.js';
import { dword } from './dword.js';

/** A procedure as the runtime calls it: found by name once, with what the watchdog names it by. */
interface ProcEntry {
  readonly fn: DeviceProc<unknown>;
  readonly index: number;
  readonly where: Ring0Where;
}

/**
 * What a device spec at a position in its scenario compiles to: code, not state, so every machine
 * built from the spec on this thread shares it (a campaign builds thousands). The spec is read
 * once, at the first machine: its procedures and slot names are taken as they were then.
 */
interface CompiledDevice {
  /** The trace hash's word of the device's name. */
  readonly nameWord: number;
  readonly procNames: readonly string[];
  /** Procedure name → its index (the order of `procNames`). */
  readonly procIndex: ReadonlyMap<string, number>;
  /** By procedure index: what the hot paths call, found without a name. */
  readonly procs: readonly ProcEntry[];
  /** Trap entry point (the index in `spec.entries`) → its procedure's index. */
  readonly entryProcs: readonly number[];
  /** Slot name → its word in `slotWords`. */
  readonly slotIndex: ReadonlyMap<string, number>;
  /** The same names in the order of their words (`slotNames[i]`'s word is i), to scan (see `slot`). */
  readonly slotNames: readonly string[];
}

/** Above this many slots, `slot` asks the map rather than scanning the names. */
const SLOTS_SCANNED_MAX = 8;

/** Per spec, by the device's index in its scenario (the index is part of each procedure's address). */
const compiledSpecs = new WeakMap<AnyDeviceSpec, CompiledDevice[]>();

function compile(spec: AnyDeviceSpec, deviceIndex: number): CompiledDevice {
  let byIndex = compiledSpecs.get(spec);
  if (byIndex === undefined) compiledSpecs.set(spec, (byIndex = []));
  const known = byIndex[deviceIndex];
  if (known !== undefined) return known;
  const procNames = Object.freeze(Object.keys(spec.procs));
  const procIndex = new Map(procNames.map((proc, index) => [proc, index]));
  const procs = procNames.map((proc, index) =>
    Object.freeze({ fn: spec.procs[proc] as DeviceProc<unknown>, index, where: Object.freeze({ deviceIndex, device: spec.name, proc }) }));
  const entryProcs = (spec.entries ?? []).map((entry) => procIndex.get(entry) ?? -1);
  // A name's word is its place among the distinct names (a spec that lists one twice, which a
  // scenario's check refuses, still gets a word per name and no word out of range).
  const slotIndex = new Map<string, number>();
  for (const name of spec.slots ?? []) if (!slotIndex.has(name)) slotIndex.set(name, slotIndex.size);
  return (byIndex[deviceIndex] = {
    nameWord: stringWord(spec.name), procNames, procIndex, procs, entryProcs, slotIndex, slotNames: [...slotIndex.keys()],
  });
}

/** A slot in shared memory (the threaded runtime): other threads may touch the word at any moment. */
class SharedSlot implements Slot {
  constructor(private readonly words: Int32Array, private readonly index: number) {}
  read(): number {
    return Atomics.load(this.words, this.index) >>> 0;
  }
  write(value: number): void {
    Atomics.store(this.words, this.index, dword(value, 'slot write', 'the value') | 0);
  }
  xchg(value: number): number {
    return Atomics.exchange(this.words, this.index, dword(value, 'slot xchg', 'the value') | 0) >>> 0;
  }
}

/** A slot in unshared memory (one thread, the simulator): a plain load or store is already atomic there. */
class LocalSlot implements Slot {
  constructor(private readonly words: Int32Array, private readonly index: number) {}
  read(): number {
    return this.words[this.index]! >>> 0;
  }
  write(value: number): void {
    // A slot is a 32-bit word: NaN, a string or 2^40 was stored as 0 or cut in silence.
    this.words[this.index] = dword(value, 'slot write', 'the value') | 0;
  }
  xchg(value: number): number {
    const old = this.words[this.index]!;
    this.words[this.index] = dword(value, 'slot xchg', 'the value') | 0;
    return old >>> 0;
  }
}

/**
 * The per-IRQ tables of a new device, copied per machine: a slice of a packed literal is one
 * block copy, where `Array.from` with a callback (measured) was a third of a machine's construction.
 */
const NO_IRQ_HANDLES: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const NO_SOURCES: readonly number[] = [-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1];

export class DeviceRuntime implements MachineDevice {
  readonly name: string;
  readonly nameWord: number;
  readonly procNames: readonly string[];
  /** The device's own state, from its spec's `state()`: made anew for every run (constructor, reset). */
  state: unknown;
  /** Bit n: the hardware raised IRQ n and the Hw_Int_Proc has not taken the request yet. */
  hwRequests = 0;
  /** IRQ → the handle VPICD_Virtualize_IRQ gave this device for it (0: not virtualized by it). */
  readonly irqHandles: number[] = NO_IRQ_HANDLES.slice();
  /** IRQ → the index of this device's IRQ source on it (vmm.sources), -1 for none. */
  readonly sourceIndex: number[] = NO_SOURCES.slice();
  readonly slotWords: Int32Array;
  /** Views over `slotWords`, by slot index, made when device code first asks for the slot. */
  private readonly slots: (Slot | undefined)[] = [];
  /** Whether `slotWords` is shared with other threads (then every access is an Atomics operation). */
  private readonly sharedSlots: boolean;
  private readonly ring0: Ring0Context;
  /** The spec's code, shared by every machine of it (see compile). */
  private readonly compiled: CompiledDevice;

  constructor(readonly vmm: Machine, readonly spec: AnyDeviceSpec, readonly index: number) {
    this.name = spec.name;
    this.compiled = compile(spec, index);
    this.procNames = this.compiled.procNames;
    this.nameWord = this.compiled.nameWord;
    // Fresh per machine: nothing a run does to its device state reaches another run.
    this.state = spec.state();
    const words = Math.max(1, this.compiled.slotIndex.size);
    // Unshared, a few words live on the JS heap (no ArrayBuffer to allocate and finalize per machine).
    this.sharedSlots = vmm.config.sharedMemory;
    this.slotWords = this.sharedSlots ? new Int32Array(new SharedArrayBuffer(words * 4)) : new Int32Array(words);
    this.ring0 = new Ring0Context(vmm, this);
  }

  /**
   * Back to the device a new machine would have (Vmm.reset): its `state()` made again, no
   * requests, no IRQs virtualized, its slots zero. The compiled code and the slot views stay.
   */
  reset(): void {
    this.state = this.spec.state();
    this.hwRequests = 0;
    const { irqHandles, sourceIndex, slotWords } = this;
    if (irqHandles.length !== 16) irqHandles.length = 16;
    if (sourceIndex.length !== 16) sourceIndex.length = 16;
    // Loops, not `fill`: 16 stores cost less than the builtin's call.
    for (let irq = 0; irq < 16; irq++) {
      irqHandles[irq] = 0;
      sourceIndex[irq] = -1;
    }
    for (let i = 0; i < slotWords.length; i++) slotWords[i] = 0;
    this.ring0.reset();
  }

  init(): void {
    if (this.spec.init !== undefined) this.run(this.spec.init);
  }

  slot(name: string): Slot {
    const index = this.slotWord(name);
    if (index === undefined) throw new Error(`device ${this.name} has no slot ${name}`);
    return (this.slots[index] ??= this.sharedSlots ? new SharedSlot(this.slotWords, index) : new LocalSlot(this.slotWords, index));
  }

  /**
   * A slot's word. Device code asks by name at every use (`r.slot('pending').xchg(0)`), so a
   * device's few names are scanned: its names and the caller's are literals, the same interned
   * strings, and each comparison is a pointer's. A map's lookup hashes the name first (~1% of a
   * simulator step on the default scenario, `perf record`).
   */
  private slotWord(name: string): number | undefined {
    const { slotNames, slotIndex } = this.compiled;
    if (slotNames.length > SLOTS_SCANNED_MAX) return slotIndex.get(name);
    for (let i = 0; i < slotNames.length; i++) if (slotNames[i] === name) return i;
    return undefined;
  }

  procIndex(proc: string): number {
    const index = this.compiled.procIndex.get(proc);
    if (index === undefined) throw new Error(`device ${this.name} has no procedure ${proc}`);
    return index;
  }

  callbackAddress(proc: string): number {
    return callbackAddress(this.index, this.procIndex(proc));
  }

  entryProc(entry: number): number {
    return this.compiled.entryProcs[entry] ?? -1;
  }

  /** Runs a procedure in ring 0 with the registers as they are; returns what it returned. */
  run(proc: string, carry = false): boolean | void {
    return this.runIndex(this.procIndex(proc), carry);
  }

  runIndex(procIndex: number, carry = false): boolean | void {
    const entry = this.compiled.procs[procIndex]!;
    // `r.carry` is the carry flag on *this* entry: a procedure of the same device entered inside
    // it (its own exported service, an interrupt at a service call, a callback at nested
    // execution) gets its own, and the outer one reads its own again once that returns (a timed
    // out callback that tested `r.carry` after a `vxdCall` of its own service read false).
    const outerCarry = this.ring0.carry;
    this.ring0.carry = carry;
    // The watchdog's hook: it attributes a throw, and a watcher sees where code is stuck.
    const result = ring0Watch.enter(entry.where, entry.index, entry.fn, this.ring0);
    this.ring0.carry = outerCarry;
    return result;
  }
}
