/**
 * A test bench for the pure core: a Vmm built from hand-written devices, with every
 * nondeterministic answer scripted (which IRQ sources assert at which preemption point, the
 * order of pending global events, the latitude's call-now answers) and every VM's client ops
 * taken from a per-VM queue. All history records are kept, and the invariant checker and the
 * counters read them as they are made, exactly as in a real run.
 */
import { formatRecord } from '../../src/cli/format.js';
import { InvariantChecker, type Violation } from '../../src/vmm/checker/checker.js';
import type { ClientOp, ClientOpSource } from '../../src/vmm/clientOps.js';
import type { VmmConfig } from '../../src/vmm/config.js';
import { Counter } from '../../src/vmm/counters.js';
import type { AnyDeviceSpec } from '../../src/vmm/device.js';
import type { HistoryKind, HistoryRecord, RecordOf } from '../../src/vmm/history.js';
import { copyRecord } from '../../src/vmm/recordRing.js';
import type { VmState } from '../../src/vmm/vm.js';
import { Vmm } from '../../src/vmm/vmm.js';
import { ScriptedChoices, type ChoiceScript } from './scriptedChoices.js';

export { ScriptedChoices, type ChoiceScript, type Where } from './scriptedChoices.js';

/** What a VM does when its script is used up: compute for one tick (no processing point). */
export const IDLE: ClientOp = { op: 'run', ticks: 1 };

export class ScriptedOps implements ClientOpSource {
  private readonly queues = new Map<number, ClientOp[]>();
  /** Every op handed out, with the VM that ran it. */
  readonly taken: { vm: number; op: ClientOp }[] = [];

  push(vmId: number, ...ops: ClientOp[]): void {
    const queue = this.queues.get(vmId) ?? [];
    queue.push(...ops);
    this.queues.set(vmId, queue);
  }

  left(vmId: number): number {
    return this.queues.get(vmId)?.length ?? 0;
  }

  next(vmId: number): ClientOp {
    const op = this.queues.get(vmId)?.shift() ?? IDLE;
    this.taken.push({ vm: vmId, op });
    return op;
  }
}

export interface MachineOptions {
  devices: readonly AnyDeviceSpec[];
  config?: Partial<VmmConfig>;
  choices?: ChoiceScript;
  /** Client ops from elsewhere (a seeded workload); by default the scripted per-VM queues. */
  ops?: ClientOpSource;
}

/** A bound on the steps `runOps` takes, so a test that waits for the impossible fails instead of hanging. */
const STEPS_MAX = 10_000;

export class Machine {
  readonly records: HistoryRecord[] = [];
  readonly checker = new InvariantChecker();
  readonly counter = new Counter();
  readonly choices: ScriptedChoices;
  readonly ops = new ScriptedOps();
  readonly vmm: Vmm;

  constructor(options: MachineOptions) {
    this.choices = new ScriptedChoices(options.choices);
    const sink = (record: HistoryRecord): void => {
      // The core's record is valid during the call only (recordRing.ts): the history keeps copies.
      this.records.push(copyRecord(record));
      this.checker.onRecord(record);
      this.counter.onRecord(record);
    };
    this.vmm = new Vmm({ vms: 2, ...options.config }, options.devices, this.choices, options.ops ?? this.ops, sink);
  }

  step(n = 1): this {
    for (let i = 0; i < n; i++) this.vmm.step();
    return this;
  }

  /** Queues ops for a VM and steps until that VM has taken them all. */
  runOps(vmId: number, ...ops: ClientOp[]): this {
    this.ops.push(vmId, ...ops);
    for (let i = 0; this.ops.left(vmId) > 0; i++) {
      if (i >= STEPS_MAX) throw new Error(`VM ${vmId} did not run its ops within ${STEPS_MAX} steps`);
      this.vmm.step();
    }
    return this;
  }

  /** A trap into a device's entry point, by names. */
  trap(device: string, entry: string, arg = 0): ClientOp {
    const index = this.vmm.devices.findIndex((d) => d.name === device);
    const entryIndex = this.vmm.devices[index]?.spec.entries?.indexOf(entry) ?? -1;
    if (index < 0 || entryIndex < 0) throw new Error(`no entry ${device}.${entry}`);
    return { op: 'trap', device: index, entry: entryIndex, arg };
  }

  /** The source mask bit of a device's IRQ (what irqArrivals answers with). */
  source(device: string, irq: number): number {
    const source = this.vmm.sources.find((s) => s.device.name === device && s.irq === irq);
    if (source === undefined) throw new Error(`no IRQ source ${device}/${irq}`);
    return 1 << source.index;
  }

  of<K extends HistoryKind>(k: K): RecordOf<K>[] {
    return this.records.filter((r): r is RecordOf<K> => r.k === k);
  }

  /** Records from `seq` on (records made by one action: `const mark = m.mark(); ...; m.since(mark)`). */
  since(seq: number): HistoryRecord[] {
    return this.records.filter((r) => r.seq >= seq);
  }

  mark(): number {
    return this.vmm.seq;
  }

  violations(kind?: string): Violation[] {
    return this.checker.violations.filter((v) => kind === undefined || v.kind === kind);
  }

  vm(id: number): VmState {
    const vm = this.vmm.vms[id - 1];
    if (vm === undefined) throw new Error(`no VM ${id}`);
    return vm;
  }

  handle(id: number): number {
    return this.vm(id).handle;
  }

  state<S>(device: string): S {
    const found = this.vmm.devices.find((d) => d.name === device);
    if (found === undefined) throw new Error(`no device ${device}`);
    return found.state as S;
  }

  /** Ends the run for the checker (rules that look at what is still open) and returns it. */
  finish(): InvariantChecker {
    this.checker.finish();
    return this.checker;
  }

  /** The history as text, for a failing test's message. */
  dump(from = 0): string {
    return this.since(from).map(formatRecord).join('\n');
  }
}

export function machine(options: MachineOptions): Machine {
  return new Machine(options);
}
