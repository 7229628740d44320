/**
 * The VMM actor's ClientOpSource: the next op of the VM the core runs, from the ops the VM
 * actors pushed into the MPSC queue. The queue interleaves all VMs, but the core consumes only
 * the current VM's ops, so whatever else it pops waits in a per-VM ring (opRings.ts). The credit
 * windows bound each ring to `windowOps` ops, so memory stays bounded however long the run.
 *
 * The core asks twice per step (ready, then next); both answer from the current VM's ring
 * while it has ops, and go to the queue only when it is empty: then they route the messages
 * ready there, read in place (QueueConsumer.drainInPlace), DRAIN_BATCH_MESSAGES at a time,
 * until the current VM has an op. The batch is bounded because routing is time in which the CPU
 * takes no interrupt: measured (4 s latency runs, 2 cores), VMs that ran ahead left ~6,000 ops
 * in the queue, routed in one go in ~120 µs, 800 times a run, and these stretches made most of
 * the interrupt latency's p99; ready() looks at the IRQ word between batches.
 *
 * When the current VM has nothing ready the VMM parks on the queue (QueueConsumer.awaitMessage:
 * spin briefly, then Atomics.wait), never spins; in ready() the PIC actor's IRQs wake it too
 * (ConsumerWaker), so an interrupt is taken as soon as it is raised, not at the next time-out.
 */
import { QueueConsumer } from '../../shared/queue/mpscQueue.js';
import type { ClientOp, ClientOpSource } from '../../vmm/clientOps.js';
import type { CreditLedger } from './credits.js';
import { DataPlaneError, OpRouter, type OpRing } from './opRings.js';

export { DataPlaneError } from './opRings.js';

/** Messages routed before the IRQ word is looked at again (~5-10 µs of routing). */
export const DRAIN_BATCH_MESSAGES = 256;
/** How long one park on an empty queue lasts before the wait is re-examined (a wake ends it sooner). */
const PARK_MS = 50;

export class QueueOps implements ClientOpSource {
  private readonly consumer: QueueConsumer;
  private readonly router: OpRouter;
  private readonly rings: readonly OpRing[];
  /** Total wall-clock milliseconds the VMM spent parked waiting for an op. */
  waitedMs = 0;

  constructor(
    queue: SharedArrayBuffer,
    private readonly credits: CreditLedger,
    vmIdsMax: number,
    windowOps: number,
    /** Fail (rather than hang) after waiting this long for one op. */
    private readonly stallMs: number,
    /** One park's bound; a message, a close or a wake ends it sooner. */
    private readonly parkMs = PARK_MS,
  ) {
    this.consumer = new QueueConsumer(queue);
    this.router = new OpRouter(vmIdsMax, windowOps);
    this.rings = this.router.rings;
  }

  next(vmId: number): ClientOp {
    const ring = this.ringOf(vmId);
    if (ring.count === 0) this.fill(vmId, ring, null);
    this.credits.consumed(vmId);
    return ring.shift();
  }

  /**
   * Waits until the VM's next op is here (true) or `interrupted()` says an IRQ was raised first
   * (false). The VM's worker may be descheduled for milliseconds; the CPU would take the
   * interrupt meanwhile, so the VMM does not sit on the queue past it. The PIC actor wakes a
   * VMM parked here (ConsumerWaker) right after it raises.
   */
  ready(vmId: number, interrupted: () => boolean): boolean {
    const ring = this.ringOf(vmId);
    if (ring.count > 0) return true;
    this.fill(vmId, ring, interrupted);
    return ring.count > 0;
  }

  /** Routes batches of ready messages, parking when there are none, until the VM has an op or `interrupted()`. */
  private fill(vmId: number, ring: OpRing, interrupted: (() => boolean) | null): void {
    let waitStartMs = -1;
    while (ring.count === 0) {
      if (this.consumer.drainInPlace(this.router, DRAIN_BATCH_MESSAGES) > 0) {
        if (ring.count === 0 && interrupted?.() === true) break;
        continue;
      }
      if (waitStartMs < 0) {
        // About to wait: every actor gets the credit the core has used (one of them may be parked on it).
        this.credits.flush();
        waitStartMs = performance.now();
      }
      if (interrupted?.() === true) break;
      if (this.consumer.awaitMessage(this.parkMs, interrupted ?? undefined)) continue;
      if (this.consumer.isClosed()) {
        if (this.consumer.drainInPlace(this.router, DRAIN_BATCH_MESSAGES) > 0) continue; // published before the close
        if (interrupted !== null) break; // the run is ending: the step ends, and the loop with it
        throw new DataPlaneError(`the op queue was closed while VM ${vmId} had no op ready`);
      }
      const waitedMs = performance.now() - waitStartMs;
      if (waitedMs > this.stallMs) throw new DataPlaneError(`no op from vm${vmId} for ${Math.round(waitedMs)} ms: its actor is stuck`);
    }
    if (waitStartMs >= 0) this.waitedMs += performance.now() - waitStartMs;
  }

  stats() {
    return this.consumer.stats();
  }

  /** Parked VM actors woken on their credit, and the wall-clock time the wakes took. */
  creditWakes(): { wakes: number; wakeMs: number } {
    return { wakes: this.credits.wakes, wakeMs: this.credits.wakeMs };
  }

  /** Wall-clock ms spent waking parked VM actors on their credit so far. */
  get creditWakeMs(): number {
    return this.credits.wakeMs;
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
}
