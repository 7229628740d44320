/**
 * A VM's ring-3 workload: a seeded, endless stream of client ops. It depends only on its seed
 * and the machine's entry points, never on what the VMM did, so the simulated runtime and a VM
 * worker thread given the same seed produce the same stream (which is what lets a threaded run
 * replay in the simulated runtime).
 */
import { Rng } from '../shared/rng.js';
import type { ClientOp } from '../vmm/clientOps.js';
import type { AnyDeviceSpec } from '../vmm/device.js';

export interface WorkloadMix {
  /** Relative weights of the op kinds. */
  run: number;
  trap: number;
  interruptFlag: number;
  iret: number;
  mode: number;
  /** Mean virtual microseconds of a `run`. */
  runTicksMean: number;
}

export const DEFAULT_MIX: WorkloadMix = { run: 35, trap: 45, interruptFlag: 10, iret: 6, mode: 4, runTicksMean: 60 };

export interface EntryPoint {
  device: number;
  entry: number;
}

export function entryPoints(devices: readonly AnyDeviceSpec[]): EntryPoint[] {
  return devices.flatMap((spec, device) => (spec.entries ?? []).map((_, entry) => ({ device, entry })));
}

export class Workload {
  private vif = true;
  private pm = false;
  private readonly total: number;

  constructor(private readonly rng: Rng, private readonly entries: readonly EntryPoint[], private readonly mix: WorkloadMix = DEFAULT_MIX) {
    this.total = mix.run + (entries.length > 0 ? mix.trap : 0) + mix.interruptFlag + mix.iret + mix.mode;
    if (!(this.total > 0)) throw new Error('workload mix has no weight');
  }

  next(): ClientOp {
    // A VM that disabled interrupts enables them again soon, as real client code does.
    if (!this.vif && this.rng.chance(0.5)) return this.setIf(true);
    let pick = this.rng.float() * this.total;
    if ((pick -= this.mix.run) < 0) return { op: 'run', ticks: 1 + this.rng.int(this.mix.runTicksMean * 2) };
    if (this.entries.length > 0 && (pick -= this.mix.trap) < 0) {
      const target = this.entries[this.rng.int(this.entries.length)]!;
      return { op: 'trap', device: target.device, entry: target.entry, arg: this.rng.int(0x10000) };
    }
    if ((pick -= this.mix.interruptFlag) < 0) return this.setIf(!this.vif);
    if ((pick -= this.mix.iret) < 0) return { op: 'iret' };
    this.pm = !this.pm;
    return { op: 'mode', pm: this.pm };
  }

  private setIf(enabled: boolean): ClientOp {
    this.vif = enabled;
    return { op: enabled ? 'sti' : 'cli' };
  }
}

/** One workload per VM id, each with its own child seed. */
export class WorkloadSet {
  private readonly workloads = new Map<number, Workload>();

  constructor(private readonly seed: number, private readonly entries: readonly EntryPoint[], private readonly mix: WorkloadMix = DEFAULT_MIX) {}

  next(vmId: number): ClientOp {
    let workload = this.workloads.get(vmId);
    if (workload === undefined) {
      workload = new Workload(new Rng(this.seed).child(`vm${vmId}`), this.entries, this.mix);
      this.workloads.set(vmId, workload);
    }
    return workload.next();
  }
}
