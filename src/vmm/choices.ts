/**
 * The one narrow interface through which every nondeterministic choice of a run passes. The
 * simulated runtime answers from a strategy (random, PCT, exhaustive, replay); the threaded
 * runtime answers from what really happened (which IRQ lines the PIC worker raised) and records
 * it. Either way the core stays deterministic given its answers.
 */
export type ChoiceKind = 'irq' | 'order' | 'latitude' | 'idle';

/** A preemption point. The core reuses one object for every point: read it during the call, never keep it. */
export interface IrqPoint {
  /** Virtual time now. */
  ticks: number;
  /** true inside ring-0 code (an IRQ now interrupts the VMM), false between client steps. */
  inRing0: boolean;
  /** Bit i set: IRQ source i may assert now (its device is not already asserting). */
  eligibleSources: number;
}

export interface ChoiceSource {
  /** Which IRQ sources assert at this preemption point (a subset of `eligibleSources`). */
  irqArrivals(point: IrqPoint): number;
  /**
   * Which of `pending` events of one queue runs next (0 = the oldest: FIFO): the global events,
   * the events of the VM about to run, or its eligible priority events. The DDK gives no order.
   */
  nextGlobalEvent(pending: number): number;
  /** With the VMM's latitude on: true = call a `Call_XX_Event` callback now, false = schedule it. */
  callNow(): boolean;
  /**
   * Asked after the preemption point of a step, before the current VM's next op is taken: true
   * means that op has not arrived yet (the VM's code is still running) while the hardware
   * raised an interrupt, so the step ends there and the next one takes the interrupt. Only the
   * threaded runtime answers true (real timing); the simulator has every op at once.
   */
  clientStillRunning?(vmId: number): boolean;
}

/** No interrupts, FIFO, always call now: the plain deterministic answers. */
export const QUIET_CHOICES: ChoiceSource = {
  irqArrivals: () => 0,
  nextGlobalEvent: () => 0,
  callNow: () => true,
};
