/**
 * Run counters, derived from the history stream alone. The core counts as it makes each record
 * (records.ts calls the method of the record's kind, the fields in hand), so no consumer reads
 * the records again for them; `count` does the same from a finished record (records made
 * elsewhere, and the definition the tests hold the core's counting to).
 */
import type { EventKind } from './eventTable.js';
import type { CancelOutcome, HistoryRecord, RecordOf } from './history.js';
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

  dispatch(kind: EventKind, inline: boolean, timedOut: boolean): void {
    if (inline) return;
    const c = this.counts;
    c.dispatched++;
    if (kind === 'global') c.globalEventsDispatched++;
    else if (kind === 'vm') c.vmEventsDispatched++;
    else c.priorityEventsDispatched++;
    if (timedOut) c.priorityTimeouts++;
  }

  cancel(outcome: CancelOutcome): void {
    const c = this.counts;
    if (outcome === 'cancelled') c.cancelled++;
    else if (outcome === 'zero') c.cancelNoops++;
    else if (outcome === 'stale') c.staleCancels++;
  }

  irqEnter(irq: number, nested: boolean): void {
    this.counts.interrupts++;
    if (nested) this.counts.nestedInterrupts++;
    this.handlers.push(irq);
  }

  irqExit(): void {
    this.handlers.pop();
  }

  eoi(irq: number): void {
    if (!this.handlers.includes(irq)) this.counts.deferredPhysEois++;
  }

  virtInt(irq: number, targetVm: number): void {
    this.counts.virtualInterrupts++;
    const pending = this.afterEoi[targetVm] ?? 0;
    if (pending & (1 << irq)) this.counts.resimulatedRequests++;
    this.afterEoi[targetVm] = pending & ~(1 << irq);
  }

  virtEoi(irq: number, targetVm: number): void {
    this.counts.virtualEois++;
    this.afterEoi[targetVm] = (this.afterEoi[targetVm] ?? 0) | (1 << irq);
  }

  virtRequest(irq: number, targetVm: number): void {
    this.afterEoi[targetVm] = (this.afterEoi[targetVm] ?? 0) & ~(1 << irq);
  }

  virtIret(timedOut: boolean): void {
    if (timedOut) this.counts.iretTimeouts++;
    else this.counts.virtualIrets++;
  }

  control(phase: 'enter' | 'exit'): void {
    if (phase === 'enter') this.counts.controlMessages++;
  }

  boost(reason: string, delta: number): void {
    if (reason === 'immediate' && delta !== 0) this.counts.boostedImmediateCalls++;
  }

  critical(op: RecordOf<'critical'>['op']): void {
    if (op === 'claim') this.counts.criticalSectionClaims++;
    else if (op === 'block') this.counts.criticalSectionBlocks++;
  }

  /** Counts a finished record; `kind` is its kind number (recordKinds.ts). */
  count(record: HistoryRecord, kind: number): void {
    const c = this.counts;
    switch (kind) {
      case KIND.clientOp: c.steps++; return;
      case KIND.service: c.serviceCalls++; return;
      case KIND.calledNow: c.calledNow++; return;
      case KIND.scheduled: c.scheduled++; return;
      case KIND.dispatch: {
        const r = record as RecordOf<'dispatch'>;
        return this.dispatch(r.kind, r.inline, r.timedOut);
      }
      case KIND.cancel: return this.cancel((record as RecordOf<'cancel'>).outcome);
      case KIND.irqEnter: {
        const r = record as RecordOf<'irqEnter'>;
        return this.irqEnter(r.irq, r.nested);
      }
      case KIND.irqExit: return this.irqExit();
      case KIND.eoi: return this.eoi((record as RecordOf<'eoi'>).irq);
      case KIND.virtInt: {
        const r = record as RecordOf<'virtInt'>;
        return this.virtInt(r.irq, r.targetVm);
      }
      case KIND.virtEoi: {
        const r = record as RecordOf<'virtEoi'>;
        return this.virtEoi(r.irq, r.targetVm);
      }
      case KIND.virtRequest: {
        const r = record as RecordOf<'virtRequest'>;
        return this.virtRequest(r.irq, r.targetVm);
      }
      case KIND.virtIret: return this.virtIret((record as RecordOf<'virtIret'>).timedOut);
      case KIND.virtMask: c.virtualMaskChanges++; return;
      case KIND.control: return this.control((record as RecordOf<'control'>).phase);
      case KIND.boost: {
        const r = record as RecordOf<'boost'>;
        return this.boost(r.reason, r.delta);
      }
      case KIND.taskSwitch: c.taskSwitches++; return;
      case KIND.critical: return this.critical((record as RecordOf<'critical'>).op);
      case KIND.discarded: c.discarded++; return;
      case KIND.processBegin: c.processingPasses++; return;
      default: return;
    }
  }
}
