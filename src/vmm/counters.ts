/** Run counters, derived from the history stream alone. */
import type { HistoryRecord } from './history.js';

export interface Counts {
  steps: number;
  calledNow: number;
  scheduled: number;
  dispatched: number;
  cancelled: number;
  cancelNoops: number;
  staleCancels: number;
  interrupts: number;
  nestedInterrupts: number;
  virtualInterrupts: number;
  /** Virtual interrupts simulated again after a virtual EOI because the request stayed set (level-triggered). */
  resimulatedRequests: number;
  virtualEois: number;
  virtualIrets: number;
  iretTimeouts: number;
  virtualMaskChanges: number;
  /** VPICD_Phys_EOI calls made outside the Hw_Int_Proc of their IRQ (deferred, e.g. to an event). */
  deferredPhysEois: number;
  globalEventsDispatched: number;
  vmEventsDispatched: number;
  priorityEventsDispatched: number;
  priorityTimeouts: number;
  taskSwitches: number;
  criticalSectionClaims: number;
  criticalSectionBlocks: number;
  discarded: number;
  serviceCalls: number;
  /** Call_Priority_VM_Event calls that ran the callback at once with their boost applied (SPEC §4). */
  boostedImmediateCalls: number;
  /** System_Control messages delivered to devices (one per device that handles the message). */
  controlMessages: number;
  /** Processing passes that dispatched something or switched tasks. */
  processingPasses: number;
}

export function emptyCounts(): Counts {
  return {
    steps: 0, calledNow: 0, scheduled: 0, dispatched: 0, cancelled: 0, cancelNoops: 0, staleCancels: 0,
    interrupts: 0, nestedInterrupts: 0, virtualInterrupts: 0, resimulatedRequests: 0, virtualEois: 0, virtualIrets: 0,
    iretTimeouts: 0, virtualMaskChanges: 0, deferredPhysEois: 0, boostedImmediateCalls: 0, controlMessages: 0, globalEventsDispatched: 0, vmEventsDispatched: 0,
    priorityEventsDispatched: 0, priorityTimeouts: 0, taskSwitches: 0, criticalSectionClaims: 0,
    criticalSectionBlocks: 0, discarded: 0, serviceCalls: 0, processingPasses: 0,
  };
}

export class Counter {
  readonly counts = emptyCounts();
  /** The IRQs whose Hw_Int_Procs are running, innermost last (from irqEnter / irqExit). */
  private readonly handlers: number[] = [];
  /** By VM id: IRQs virtually EOI'd whose request has not been set or cleared since (bit n = IRQ n). */
  private readonly afterEoi: number[] = [];

  readonly onRecord = (r: HistoryRecord): void => {
    const c = this.counts;
    switch (r.k) {
      case 'clientOp': c.steps++; return;
      case 'service': c.serviceCalls++; return;
      case 'calledNow': c.calledNow++; return;
      case 'scheduled': c.scheduled++; return;
      case 'dispatch':
        if (r.inline) return;
        c.dispatched++;
        if (r.kind === 'global') c.globalEventsDispatched++;
        else if (r.kind === 'vm') c.vmEventsDispatched++;
        else c.priorityEventsDispatched++;
        if (r.timedOut) c.priorityTimeouts++;
        return;
      case 'cancel':
        if (r.outcome === 'cancelled') c.cancelled++;
        else if (r.outcome === 'zero') c.cancelNoops++;
        else if (r.outcome === 'stale') c.staleCancels++;
        return;
      case 'irqEnter':
        c.interrupts++;
        if (r.nested) c.nestedInterrupts++;
        this.handlers.push(r.irq);
        return;
      case 'irqExit': this.handlers.pop(); return;
      case 'eoi':
        if (!this.handlers.includes(r.irq)) c.deferredPhysEois++;
        return;
      case 'virtInt': {
        c.virtualInterrupts++;
        const pending = this.afterEoi[r.targetVm] ?? 0;
        if (pending & (1 << r.irq)) c.resimulatedRequests++;
        this.afterEoi[r.targetVm] = pending & ~(1 << r.irq);
        return;
      }
      case 'virtEoi':
        c.virtualEois++;
        this.afterEoi[r.targetVm] = (this.afterEoi[r.targetVm] ?? 0) | (1 << r.irq);
        return;
      case 'virtRequest':
        this.afterEoi[r.targetVm] = (this.afterEoi[r.targetVm] ?? 0) & ~(1 << r.irq);
        return;
      case 'virtIret':
        if (r.timedOut) c.iretTimeouts++;
        else c.virtualIrets++;
        return;
      case 'virtMask': c.virtualMaskChanges++; return;
      case 'control':
        if (r.phase === 'enter') c.controlMessages++;
        return;
      case 'boost':
        if (r.reason === 'immediate' && r.delta > 0) c.boostedImmediateCalls++;
        return;
      case 'taskSwitch': c.taskSwitches++; return;
      case 'critical':
        if (r.op === 'claim') c.criticalSectionClaims++;
        else if (r.op === 'block') c.criticalSectionBlocks++;
        return;
      case 'discarded': c.discarded++; return;
      case 'processBegin': c.processingPasses++; return;
      default: return;
    }
  };
}
