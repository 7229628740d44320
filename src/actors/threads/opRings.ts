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
 */
import type { MessageReader } from '../../shared/queue/mpscQueue.js';
import { decodeOp, type ClientOp } from '../../vmm/clientOps.js';
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
    const op = decodeOp(this.words, this.head * 3);
    this.head = (this.head + 1) & this.mask;
    this.count--;
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
