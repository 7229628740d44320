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
  globalEventsDispatched: number;
  vmEventsDispatched: number;
  priorityEventsDispatched: number;
  priorityTimeouts: number;
  taskSwitches: number;
  criticalSectionClaims: number;
  criticalSectionBlocks: number;
  discarded: number;
  serviceCalls: number;
  /** Processing passes that dispatched something or switched tasks. */
  processingPasses: number;
}

export function emptyCounts(): Counts {
  return {
    steps: 0, calledNow: 0, scheduled: 0, dispatched: 0, cancelled: 0, cancelNoops: 0, staleCancels: 0,
    interrupts: 0, nestedInterrupts: 0, virtualInterrupts: 0, globalEventsDispatched: 0, vmEventsDispatched: 0,
    priorityEventsDispatched: 0, priorityTimeouts: 0, taskSwitches: 0, criticalSectionClaims: 0,
    criticalSectionBlocks: 0, discarded: 0, serviceCalls: 0, processingPasses: 0,
  };
}

export class Counter {
  readonly counts = emptyCounts();

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
        return;
      case 'virtInt': c.virtualInterrupts++; return;
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
