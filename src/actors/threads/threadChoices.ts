/**
 * The VMM actor's answers to the core's nondeterministic questions: what really happened on the
 * other threads, not a strategy. The VMM records every answer (RecordingChoices), so the trace is
 * exactly what the core saw and the simulated runtime can replay it.
 *
 * - irqArrivals: the sources the PIC actor has raised by now, among the eligible ones;
 * - nextGlobalEvent: FIFO (the real VMM's order; exploration is where other orders are tried);
 * - callNow (only asked with --latitude): the VMM uses its latitude when the hardware is
 *   waiting, i.e. it schedules a Call_XX_Event it could call now exactly when an IRQ has been
 *   raised and not yet taken. Real timing decides, as for interrupts.
 * - clientStillRunning: the current VM's next op has not arrived (its worker is behind) and an
 *   IRQ was raised meanwhile: the step ends so that the next one takes the interrupt now.
 */
import type { ChoiceSource, IrqPoint } from '../../vmm/choices.js';
import type { IrqTaker } from './irqLines.js';
import type { LatencyProbe } from './latencyProbe.js';
import type { QueueOps } from './queueOps.js';

export class ThreadChoices implements ChoiceSource {
  constructor(
    private readonly irq: IrqTaker,
    private readonly ops: QueueOps,
    /** The sources the core could take an interrupt from now (not still asserting). */
    private readonly eligibleSources: () => number,
    private readonly probe: LatencyProbe | null = null,
  ) {}

  irqArrivals(point: IrqPoint): number {
    if (this.probe !== null) return this.probe.takeAt(point.eligibleSources);
    return this.irq.take(point.eligibleSources);
  }

  nextGlobalEvent(): number {
    return 0;
  }

  callNow(): boolean {
    return !this.irq.anyRaised();
  }

  clientStillRunning(vmId: number): boolean {
    return !this.ops.ready(vmId, this.interrupted);
  }

  private readonly interrupted = (): boolean => this.irq.anyRaisedAmong(this.eligibleSources());
}
