/** Run counters, derived from the history stream alone. */
import type { HistoryRecord, RecordOf } from './history.js';
import { KIND, kindOf } from './recordKinds.js';

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

  /** A record without its kind number (records made elsewhere); an own function, to hand on as a sink. */
  readonly onRecord = (record: HistoryRecord): void => this.count(record, kindOf(record));

  /** Counts a record; `kind` is its kind number (recordKinds.ts), so `record.k` is never loaded. */
  count(record: HistoryRecord, kind: number): void {
    const c = this.counts;
    switch (kind) {
      case KIND.clientOp: c.steps++; return;
      case KIND.service: c.serviceCalls++; return;
      case KIND.calledNow: c.calledNow++; return;
      case KIND.scheduled: c.scheduled++; return;
      case KIND.dispatch: {
        const r = record as RecordOf<'dispatch'>;
        if (r.inline) return;
        c.dispatched++;
        if (r.kind === 'global') c.globalEventsDispatched++;
        else if (r.kind === 'vm') c.vmEventsDispatched++;
        else c.priorityEventsDispatched++;
        if (r.timedOut) c.priorityTimeouts++;
        return;
      }
      case KIND.cancel: {
        const r = record as RecordOf<'cancel'>;
        if (r.outcome === 'cancelled') c.cancelled++;
        else if (r.outcome === 'zero') c.cancelNoops++;
        else if (r.outcome === 'stale') c.staleCancels++;
        return;
      }
      case KIND.irqEnter: {
        const r = record as RecordOf<'irqEnter'>;
        c.interrupts++;
        if (r.nested) c.nestedInterrupts++;
        this.handlers.push(r.irq);
        return;
      }
      case KIND.irqExit: this.handlers.pop(); return;
      case KIND.eoi:
        if (!this.handlers.includes((record as RecordOf<'eoi'>).irq)) c.deferredPhysEois++;
        return;
      case KIND.virtInt: {
        const r = record as RecordOf<'virtInt'>;
        c.virtualInterrupts++;
        const pending = this.afterEoi[r.targetVm] ?? 0;
        if (pending & (1 << r.irq)) c.resimulatedRequests++;
        this.afterEoi[r.targetVm] = pending & ~(1 << r.irq);
        return;
      }
      case KIND.virtEoi: {
        const r = record as RecordOf<'virtEoi'>;
        c.virtualEois++;
        this.afterEoi[r.targetVm] = (this.afterEoi[r.targetVm] ?? 0) | (1 << r.irq);
        return;
      }
      case KIND.virtRequest: {
        const r = record as RecordOf<'virtRequest'>;
        this.afterEoi[r.targetVm] = (this.afterEoi[r.targetVm] ?? 0) & ~(1 << r.irq);
        return;
      }
      case KIND.virtIret:
        if ((record as RecordOf<'virtIret'>).timedOut) c.iretTimeouts++;
        else c.virtualIrets++;
        return;
      case KIND.virtMask: c.virtualMaskChanges++; return;
      case KIND.control:
        if ((record as RecordOf<'control'>).phase === 'enter') c.controlMessages++;
        return;
      case KIND.boost: {
        const r = record as RecordOf<'boost'>;
        if (r.reason === 'immediate' && r.delta > 0) c.boostedImmediateCalls++;
        return;
      }
      case KIND.taskSwitch: c.taskSwitches++; return;
      case KIND.critical: {
        const op = (record as RecordOf<'critical'>).op;
        if (op === 'claim') c.criticalSectionClaims++;
        else if (op === 'block') c.criticalSectionBlocks++;
        return;
      }
      case KIND.discarded: c.discarded++; return;
      case KIND.processBegin: c.processingPasses++; return;
      default: return;
    }
  }
}
