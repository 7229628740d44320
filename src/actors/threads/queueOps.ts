/**
 * The VMM actor's ClientOpSource: the next op of the VM the core runs, from the ops the VM
 * actors pushed into the MPSC queue. The queue interleaves all VMs, but the core consumes only
 * the current VM's ops, so whatever else it pops waits in a per-VM ring (opRings.ts). The credit
 * windows bound each ring to `windowOps` ops, so memory stays bounded however long the run.
 *
 * The core asks twice per step (ready, then next); both answer from the current VM's ring
 * while it has ops, and go to the queue only when it is empty: then they take every message
 * ready in one batch, read in place (QueueConsumer.drainInPlace).
 *
 * When the current VM has nothing ready the VMM parks on the queue (QueueConsumer.pop: spin
 * briefly, then Atomics.wait until a producer publishes), never spins.
 */
import { QueueConsumer } from '../../shared/queue/mpscQueue.js';
import type { ClientOp, ClientOpSource } from '../../vmm/clientOps.js';
import type { CreditLedger } from './credits.js';
import { OP_MESSAGE_WORDS } from './opMessage.js';
import { DataPlaneError, OpRouter, type OpRing } from './opRings.js';

export { DataPlaneError } from './opRings.js';

/** How long one park on an empty queue lasts before the wait is re-examined. */
const PARK_MS = 50;
/** While the current VM's op is late, how often to look whether the hardware raised an IRQ. */
const IRQ_LOOK_MS = 0.05;

export class QueueOps implements ClientOpSource {
  private readonly consumer: QueueConsumer;
  private readonly router: OpRouter;
  private readonly rings: readonly OpRing[];
  private readonly msg = new Int32Array(OP_MESSAGE_WORDS);
  /** Total wall-clock milliseconds the VMM spent parked waiting for an op. */
  waitedMs = 0;

  constructor(
    queue: SharedArrayBuffer,
    private readonly credits: CreditLedger,
    vmIdsMax: number,
    windowOps: number,
    /** Fail (rather than hang) after waiting this long for one op. */
    private readonly stallMs: number,
  ) {
    this.consumer = new QueueConsumer(queue);
    this.router = new OpRouter(vmIdsMax, windowOps);
    this.rings = this.router.rings;
  }

  next(vmId: number): ClientOp {
    const ring = this.ringOf(vmId);
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
    const ring = this.ringOf(vmId);
    if (ring.count > 0) return true;
    this.consumer.drainInPlace(this.router);
    if (ring.count > 0) return true;
    // About to wait: every actor gets the credit the core has used (one of them may be parked on it).
    this.credits.flush();
    const startMs = performance.now();
    while (ring.count === 0) {
      if (interrupted()) break;
      if (this.consumer.pop(this.msg, IRQ_LOOK_MS)) {
        this.router.read(this.msg, 0);
        this.consumer.drainInPlace(this.router);
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

  private ringOf(vmId: number): OpRing {
    const ring = this.rings[vmId];
    if (ring === undefined || vmId < 1) throw new DataPlaneError(`the core asked for an op of VM ${vmId}, which has no actor`);
    return ring;
  }

  /** Pops until the VM has an op: first whatever is ready, then parking on the queue. */
  private refill(vmId: number, ring: OpRing): void {
    this.consumer.drainInPlace(this.router);
    if (ring.count > 0) return;
    this.credits.flush();
    const startMs = performance.now();
    while (ring.count === 0) {
      if (this.consumer.pop(this.msg, PARK_MS)) {
        this.router.read(this.msg, 0);
        this.consumer.drainInPlace(this.router);
        continue;
      }
      if (this.consumer.isClosed()) throw new DataPlaneError(`the op queue was closed while VM ${vmId} had no op ready`);
      if (performance.now() - startMs > this.stallMs) {
        throw new DataPlaneError(`no op from vm${vmId} for ${Math.round(performance.now() - startMs)} ms: its actor is stuck`);
      }
    }
    this.waitedMs += performance.now() - startMs;
  }
}
