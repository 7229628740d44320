/**
 * The VMM actor's per-VM op buffers: the queue interleaves every VM's ops, the core consumes
 * only the current VM's, so each popped op is routed by its header into its VM's ring, where it
 * waits until its VM runs. The credit window bounds each ring to `windowOps` ops.
 *
 * A ring holds each op as the three words of its encoding (clientOps.ts), in a power-of-two
 * number of slots so that wrapping is a mask, and decodes an op only when the core takes it:
 *
 *   words   | opcode | a | b | opcode | a | b | ...     slot i at 3i, i = (head + k) & mask
 *             slot 0           slot 1
 *
 * OpRouter reads each message where it lies in the queue (QueueConsumer.drainInPlace), checks
 * that each VM's ops come exactly once and in order (the per-VM sequence in the header, see
 * opMessage.ts), and copies the three op words into the ring.
 *
 * A trap op (most ops, and the only kind with too many values to share one object per value,
 * clientOps.ts) is decoded into one of the ring's own objects, used again in turn: a new object
 * per trap was most of what the VMM thread allocated (56 of ~85 bytes a step on the event path).
 * Who holds a trap op the ring handed out, and until when:
 *   - the core, during its step;
 *   - the VM, as its restart op while it is blocked (vmm.ts), until it runs again: the core
 *     takes no other op of that VM before;
 *   - its clientOp record, while the record is in the machine's tail (RecordRing: at most
 *     `capacity` clientOp records, the VMM actor's is VMM_TAIL_RECORDS); a copy of a record
 *     has its own op (copyRecord).
 * An object is written again after TRAP_OPS_KEPT later trap ops of the same VM, so after at least
 * as many later clientOp records: past every holder above while TRAP_OPS_KEPT > the tail.
 */

/** Trap op objects per ring, used in turn (see above: more than the VMM actor's tail of records). */
export const TRAP_OPS_KEPT = 128;

type TrapOp = Extract<ClientOp, { op: 'trap' }>;
import type { MessageReader } from '../../shared/queue/mpscQueue.js';
import { decodeOp, newTrapOp, OPCODE, type ClientOp } from '../../vmm/clientOps.js';
import { SEQUENCE_MASK, headerSequence, headerVmId } from './opMessage.js';

export class DataPlaneError extends Error {
  override readonly name = 'DataPlaneError';
}

/** Ops of one VM, popped and not yet consumed, in order. */
export class OpRing {
  private readonly words: Int32Array;
  private readonly mask: number;
  /** Slot of the oldest op. */
  private head = 0;
  count = 0;
  /** The trap op objects (made as first needed, at most TRAP_OPS_KEPT), and the next to use. */
  private readonly trapOps: TrapOp[] = [];
  private trapAt = 0;

  constructor(private readonly windowOps: number) {
    let slots = 1;
    while (slots < windowOps) slots *= 2;
    this.mask = slots - 1;
    this.words = new Int32Array(slots * 3);
  }

  /** Appends the op whose three words start at src[at]; false when the ring holds `windowOps` ops already. */
  push(src: Int32Array, at: number): boolean {
    if (this.count === this.windowOps) return false;
    const to = ((this.head + this.count) & this.mask) * 3;
    const words = this.words;
    words[to] = src[at]!;
    words[to + 1] = src[at + 1]!;
    words[to + 2] = src[at + 2]!;
    this.count++;
    return true;
  }

  /** The oldest op (the caller checks `count` first). */
  shift(): ClientOp {
    const at = this.head * 3;
    const words = this.words;
    const op = words[at] === OPCODE.trap ? this.trapOp(words[at + 1]!, words[at + 2]!) : decodeOp(words, at);
    this.head = (this.head + 1) & this.mask;
    this.count--;
    return op;
  }

  /** decodeOp's trap, `{ op: 'trap', device: a, entry: b >>> 16, arg: b & 0xffff }`, in the next of the ring's objects. */
  private trapOp(a: number, b: number): TrapOp {
    const ops = this.trapOps;
    let i = this.trapAt;
    if (i === TRAP_OPS_KEPT) i = 0;
    this.trapAt = i + 1;
    if (i === ops.length) {
      const op = newTrapOp(a, b >>> 16, b & 0xffff);
      ops.push(op);
      return op;
    }
    const op = ops[i]!;
    op.device = a;
    op.entry = b >>> 16;
    op.arg = b & 0xffff;
    return op;
  }
}

/** Routes op messages (OP_MESSAGE_WORDS words: header, then the op) into their VM's ring. */
export class OpRouter implements MessageReader {
  /** By VM id; index 0 (no VM has it) holds an empty ring that nothing is routed to. */
  readonly rings: OpRing[] = [];
  /** By VM id: the sequence number the next op must carry. */
  private readonly nextSequence: Int32Array;

  constructor(private readonly vmIdsMax: number, windowOps: number) {
    for (let id = 0; id <= vmIdsMax; id++) this.rings.push(new OpRing(windowOps));
    this.nextSequence = new Int32Array(vmIdsMax + 1);
  }

  read(words: Int32Array, at: number): void {
    const header = words[at]!;
    const vmId = headerVmId(header);
    if (vmId < 1 || vmId > this.vmIdsMax) throw new DataPlaneError(`an op message names VM ${vmId}, which has no actor`);
    const expected = this.nextSequence[vmId]!;
    const sequence = headerSequence(header);
    if (sequence !== expected) throw new DataPlaneError(`vm${vmId}: op #${sequence} arrived where #${expected} was due (lost or reordered)`);
    this.nextSequence[vmId] = (expected + 1) & SEQUENCE_MASK;
    if (!this.rings[vmId]!.push(words, at + 1)) throw new DataPlaneError(`vm${vmId} pushed more ops than its credit window allows`);
  }
}
