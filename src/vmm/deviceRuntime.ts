/**
 * One device instance in a run: its state, its shared handle slots, its procedures' addresses,
 * and the hardware requests its IRQ sources have raised and its Hw_Int_Proc has not yet taken.
 */
import { callbackAddress } from './callbackAddress.js';
import type { AnyDeviceSpec, DeviceProc, Slot } from './device.js';
import type { Machine, MachineDevice } from './machine.js';
import { Ring0Context } from './ring0.js';
import { ring0Watch, type Ring0Where } from './ring0Watch.js';

/** A procedure as the runtime calls it: found by name once, with what the watchdog names it by. */
interface ProcEntry {
  readonly fn: DeviceProc<unknown>;
  readonly index: number;
  readonly where: Ring0Where;
}

class SharedSlot implements Slot {
  constructor(private readonly words: Int32Array, private readonly index: number) {}
  read(): number {
    return Atomics.load(this.words, this.index) >>> 0;
  }
  write(value: number): void {
    Atomics.store(this.words, this.index, value | 0);
  }
  xchg(value: number): number {
    return Atomics.exchange(this.words, this.index, value | 0) >>> 0;
  }
}

export class DeviceRuntime implements MachineDevice {
  readonly name: string;
  readonly procNames: string[];
  readonly state: unknown;
  /** Bit n: the hardware raised IRQ n and the Hw_Int_Proc has not taken the request yet. */
  hwRequests = 0;
  readonly irqHandles = new Map<number, number>();
  /** IRQ → the index of this device's IRQ source on it (vmm.sources). */
  readonly sourceIndex = new Map<number, number>();
  readonly slotWords: Int32Array;
  private readonly slots = new Map<string, SharedSlot>();
  private readonly ring0: Ring0Context;
  /** Procedure name → its entry (code, not state: the same for every run of the spec). */
  private readonly procTable = new Map<string, ProcEntry>();

  constructor(readonly vmm: Machine, readonly spec: AnyDeviceSpec, readonly index: number) {
    this.name = spec.name;
    this.procNames = Object.keys(spec.procs);
    this.procNames.forEach((proc, index) => {
      this.procTable.set(proc, { fn: spec.procs[proc] as DeviceProc<unknown>, index, where: { deviceIndex: this.index, device: this.name, proc } });
    });
    this.state = spec.state();
    const slotNames = spec.slots ?? [];
    const bytes = Math.max(1, slotNames.length) * 4;
    this.slotWords = new Int32Array(vmm.config.sharedMemory ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes));
    slotNames.forEach((name, i) => this.slots.set(name, new SharedSlot(this.slotWords, i)));
    this.ring0 = new Ring0Context(vmm, this);
  }

  init(): void {
    if (this.spec.init !== undefined) this.run(this.spec.init);
  }

  slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (slot === undefined) throw new Error(`device ${this.name} has no slot ${name}`);
    return slot;
  }

  callbackAddress(proc: string): number {
    const entry = this.procTable.get(proc);
    if (entry === undefined) throw new Error(`device ${this.name} has no procedure ${proc}`);
    return callbackAddress(this.index, entry.index);
  }

  /** Runs a procedure in ring 0 with the registers as they are; returns what it returned. */
  run(proc: string, carry = false): boolean | void {
    const entry = this.procTable.get(proc);
    if (entry === undefined) throw new Error(`device ${this.name} has no procedure ${proc}`);
    this.ring0.carry = carry;
    // The watchdog's hook: it attributes a throw, and a watcher sees where code is stuck.
    return ring0Watch.enter(entry.where, entry.index, entry.fn, this.ring0);
  }
}
