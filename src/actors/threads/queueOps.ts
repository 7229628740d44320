/**
 * The VMM actor's ClientOpSource: the next op of the VM the core runs, from the ops the VM
 * actors pushed into the MPSC queue. The queue interleaves all VMs, but the core consumes only
 * the current VM's ops, so whatever else it pops waits in a per-VM ring. The credit windows
 * bound each ring to `windowOps` ops, so memory stays bounded however long the run.
 *
 * When the current VM has nothing ready the VMM parks on the queue (QueueConsumer.pop: spin
 * briefly, then Atomics.wait until a producer publishes), never spins.
 */
import { QueueConsumer } from '../../shared/queue/mpscQueue.js';
import { decodeOp, type ClientOp, type ClientOpSource } from '../../vmm/clientOps.js';
import type { CreditLedger } from './credits.js';
import { OP_MESSAGE_WORDS, SEQUENCE_MASK, messageSequence, messageVmId } from './opMessage.js';

/** How long one park on an empty queue lasts before the wait is re-examined. */
const PARK_MS = 50;
/** While the current VM's op is late, how often to look whether the hardware raised an IRQ. */
const IRQ_LOOK_MS = 0.05;

export class DataPlaneError extends Error {
  override readonly name = 'DataPlaneError';
}

/** Ops of one VM, popped and not yet consumed: 3 words each, in a ring. */
class OpRing {
  private readonly words: Int32Array;
  private head = 0;
  count = 0;

  constructor(private readonly capacity: number) {
    this.words = new Int32Array(capacity * 3);
  }

  push(msg: Int32Array): boolean {
    if (this.count === this.capacity) return false;
    const at = ((this.head + this.count) % this.capacity) * 3;
    this.words[at] = msg[1]!;
    this.words[at + 1] = msg[2]!;
    this.words[at + 2] = msg[3]!;
    this.count++;
    return true;
  }

  shift(): ClientOp {
    const op = decodeOp(this.words, this.head * 3);
    this.head = (this.head + 1) % this.capacity;
    this.count--;
    return op;
  }
}

export class QueueOps implements ClientOpSource {
  private readonly consumer: QueueConsumer;
  private readonly rings: OpRing[] = [];
  private readonly nextSequence: number[] = [];
  private readonly msg = new Int32Array(OP_MESSAGE_WORDS);
  private readonly route = (msg: Int32Array): void => this.store(msg);
  /** Total wall-clock milliseconds the VMM spent parked waiting for an op. */
  waitedMs = 0;

  constructor(
    queue: SharedArrayBuffer,
    private readonly credits: CreditLedger,
    private readonly vmIdsMax: number,
    windowOps: number,
    /** Fail (rather than hang) after waiting this long for one op. */
    private readonly stallMs: number,
  ) {
    this.consumer = new QueueConsumer(queue);
    for (let id = 0; id <= vmIdsMax; id++) {
      this.rings.push(new OpRing(windowOps));
      this.nextSequence.push(0);
    }
  }

  next(vmId: number): ClientOp {
    const ring = this.rings[vmId];
    if (ring === undefined || vmId < 1) throw new DataPlaneError(`the core asked for an op of VM ${vmId}, which has no actor`);
    if (ring.count === 0) this.refill(vmId, ring);
    this.credits.consumed(vmId);
    return ring.shift();
  }

  /**
   * Waits until the VM's next op is here (true) or `interrupted()` says an IRQ was raised first
   * (false). The VM's worker may be descheduled for milliseconds; the CPU would take the
   * interrupt meanwhile, so the VMM does not sit on the queue past it.
   */
  ready(vmId: number, interrupted: () => boolean): boolean {
    const ring = this.rings[vmId];
    if (ring === undefined || vmId < 1) throw new DataPlaneError(`the core asked for an op of VM ${vmId}, which has no actor`);
    if (ring.count > 0) return true;
    this.consumer.drain(this.msg, this.route);
    if (ring.count > 0) return true;
    // About to wait: every actor gets the credit the core has used (one of them may be parked on it).
    this.credits.flush();
    const startMs = performance.now();
    while (ring.count === 0) {
      if (interrupted()) break;
      if (this.consumer.pop(this.msg, IRQ_LOOK_MS)) {
        this.store(this.msg);
        this.consumer.drain(this.msg, this.route);
      } else if (this.consumer.isClosed()) {
        break;
      }
    }
    this.waitedMs += performance.now() - startMs;
    return ring.count > 0;
  }

  stats() {
    return this.consumer.stats();
  }

  /** Publishes the credit of every op the core has consumed (the ledger batches it). */
  flushCredits(): void {
    this.credits.flush();
  }

  /** Pops until the VM has an op: first whatever is ready, then parking on the queue. */
  private refill(vmId: number, ring: OpRing): void {
    this.consumer.drain(this.msg, this.route);
    if (ring.count > 0) return;
    this.credits.flush();
    const startMs = performance.now();
    while (ring.count === 0) {
      if (this.consumer.pop(this.msg, PARK_MS)) {
        this.store(this.msg);
        this.consumer.drain(this.msg, this.route);
        continue;
      }
      if (this.consumer.isClosed()) throw new DataPlaneError(`the op queue was closed while VM ${vmId} had no op ready`);
      if (performance.now() - startMs > this.stallMs) {
        throw new DataPlaneError(`no op from vm${vmId} for ${Math.round(performance.now() - startMs)} ms: its actor is stuck`);
      }
    }
    this.waitedMs += performance.now() - startMs;
  }

  private store(msg: Int32Array): void {
    const vmId = messageVmId(msg);
    const ring = vmId >= 1 && vmId <= this.vmIdsMax ? this.rings[vmId]! : undefined;
    if (ring === undefined) throw new DataPlaneError(`an op message names VM ${vmId}, which has no actor`);
    const expected = this.nextSequence[vmId]!;
    const sequence = messageSequence(msg);
    if (sequence !== expected) throw new DataPlaneError(`vm${vmId}: op #${sequence} arrived where #${expected} was due (lost or reordered)`);
    this.nextSequence[vmId] = (expected + 1) & SEQUENCE_MASK;
    if (!ring.push(msg)) throw new DataPlaneError(`vm${vmId} pushed more ops than its credit window allows`);
  }
}
