/**
 * A workload given explicitly: each VM's client ops as a list, as a shrunk trace carries them
 * (so that shrinking can delete single operations). A VM whose list is used up ends the run:
 * the source throws WorkloadExhausted, which a replay reports and shrinking counts as "the
 * violation was not reached".
 */
import { decodeOp, describeOp, encodeOp, type ClientOp, type ClientOpSource } from '../vmm/clientOps.js';

/** [vm id, its ops as 3-word encodings one after another] per VM. */
export type SerializedWorkload = [vm: number, words: number[]][];

export class WorkloadExhausted extends Error {
  override readonly name = 'WorkloadExhausted';
  constructor(readonly vmId: number) {
    super(`the trace's workload of VM ${vmId} is used up`);
  }
}

export class ExplicitOps implements ClientOpSource {
  /** Ops each VM has taken so far. */
  private readonly taken = new Map<number, number>();

  constructor(private readonly lists: ReadonlyMap<number, readonly ClientOp[]>) {}

  next(vmId: number): ClientOp {
    const at = this.taken.get(vmId) ?? 0;
    const op = this.lists.get(vmId)?.[at];
    if (op === undefined) throw new WorkloadExhausted(vmId);
    this.taken.set(vmId, at + 1);
    return op;
  }

  static deserialize(workload: SerializedWorkload): ExplicitOps {
    return new ExplicitOps(deserializeWorkload(workload));
  }
}

export function serializeWorkload(lists: ReadonlyMap<number, readonly ClientOp[]>): SerializedWorkload {
  return [...lists].sort(([a], [b]) => a - b).map(([vm, ops]) => {
    const words: number[] = new Array<number>(ops.length * 3);
    ops.forEach((op, i) => encodeOp(op, words, i * 3));
    return [vm, words];
  });
}

export function deserializeWorkload(workload: SerializedWorkload): Map<number, ClientOp[]> {
  const lists = new Map<number, ClientOp[]>();
  for (const [vm, words] of workload) {
    // A second list for a VM replaced the first in silence, and the replay ran out of ops.
    if (lists.has(vm)) throw new Error(`a second workload for VM ${vm}`);
    if (words.length % 3 !== 0) throw new Error(`workload of VM ${vm}: ${words.length} words is not a whole number of ops`);
    const ops: ClientOp[] = [];
    for (let at = 0; at < words.length; at += 3) {
      const op = decodeOp(words, at);
      const wrong = operandOutOfRange(op);
      if (wrong !== null) throw new Error(`workload of VM ${vm}, op ${at / 3 + 1}: ${describeOp(op)}: ${wrong}`);
      ops.push(op);
    }
    lists.set(vm, ops);
  }
  return lists;
}

/** The two 8259s' lines, IRQ 0 to 15. */
const PIC_IRQS = 16;

/** What no recorded op holds (a run backwards in time, an IRQ the PIC does not have): they ran as given. */
function operandOutOfRange(op: ClientOp): string | null {
  if (op.op === 'run' && op.ticks < 0) return 'a run of fewer than 0 ticks';
  if (op.op === 'mask' && !(op.irq >= 0 && op.irq < PIC_IRQS)) return `the PIC has IRQs 0 to ${PIC_IRQS - 1}`;
  return null;
}
