/**
 * Making history records: one function per kind, each building its record whole, in one object
 * literal, where the CPU is (seq, ticks, vm, ctx, reenter) included. Every record of a kind thus
 * has one fixed shape from birth (no field added afterwards), which keeps record creation and
 * every consumer's reads of it (checker, trace hash, counters) fast; this runs several times per
 * client step. Field order is the kind's own fields, then where the CPU is.
 *
 * The machine hands each record to its sink once; records are never changed after that.
 */
import type { ClientOp } from './clientOps.js';
import type { ControlMessage } from './constants.js';
import type { EventKind } from './eventTable.js';
import type { CancelOutcome, CpuContext, HistorySink, RecordOf, ViolationSeverity, VmSnapshot, VpicdProc } from './history.js';
import type { ServiceName } from './services.js';

/** What a record notes of the machine: where the CPU is, and where records go. */
export interface RecordingMachine {
  seq: number;
  readonly ticks: number;
  readonly current: { readonly id: number };
  readonly ctx: CpuContext;
  readonly reenter: number;
  readonly sink: HistorySink;
}

type M = RecordingMachine;
type Phase = 'enter' | 'exit';

export function clientOp(m: M, op: ClientOp): void {
  m.sink({ k: 'clientOp', op, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function service(m: M, name: ServiceName, device: string): void {
  m.sink({ k: 'service', service: name, device, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function serviceResult(m: M, name: ServiceName, esi: number): void {
  m.sink({ k: 'serviceResult', service: name, esi, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function calledNow(m: M, kind: EventKind, name: ServiceName, callback: string, refData: number, targetVm: number): void {
  m.sink({
    k: 'calledNow', kind, service: name, callback, refData, targetVm,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  });
}

/** `scheduled`: the event's fields come as the record's own (made by the caller, in order). */
export function scheduled(
  m: M, kind: EventKind, name: ServiceName, handle: number, callback: string, refData: number, targetVm: number,
  boost: number, flags: number, deadlineTicks: number, latitude: boolean, state: VmSnapshot | null,
): void {
  m.sink({
    k: 'scheduled', kind, service: name, handle, callback, refData, targetVm, boost, flags, deadlineTicks, latitude, state,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  });
}

export function dispatch(
  m: M, kind: EventKind, handle: number, callback: string, refData: number, targetVm: number, inline: boolean,
  timedOut: boolean, ebx: number, flags: number, state: VmSnapshot | null,
): void {
  m.sink({
    k: 'dispatch', kind, handle, callback, refData, targetVm, inline, timedOut, ebx, flags, state,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  });
}

export function callbackReturn(m: M, handle: number, callback: string, clobbered: string[]): void {
  m.sink({ k: 'return', handle, callback, clobbered, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function cancel(
  m: M, kind: EventKind, handle: number, device: string, inCallbackOf: number, outcome: CancelOutcome,
  victimKind: EventKind | null, victimHandle: number,
): void {
  m.sink({
    k: 'cancel', kind, handle, device, inCallbackOf, outcome, victimKind, victimHandle,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  });
}

export function discarded(m: M, kind: EventKind, handle: number): void {
  m.sink({ k: 'discarded', kind, handle, reason: 'vmDestroyed', seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function irqRaise(m: M, sources: number, lines: number): void {
  m.sink({ k: 'irqRaise', sources, lines, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function irqEnter(m: M, irq: number, nested: boolean): void {
  m.sink({ k: 'irqEnter', irq, nested, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function irqExit(m: M, irq: number, claimedBy: string | null): void {
  m.sink({ k: 'irqExit', irq, claimedBy, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function eoi(m: M, irq: number): void {
  m.sink({ k: 'eoi', irq, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function control(m: M, phase: Phase, message: ControlMessage, targetVm: number, device: string): void {
  m.sink({ k: 'control', phase, message, targetVm, device, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function trapReturn(m: M): void {
  m.sink({ k: 'trapReturn', seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function nestedExec(m: M, phase: Phase): void {
  m.sink({ k: 'nestedExec', phase, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function vpicdProc(m: M, phase: Phase, proc: VpicdProc, irq: number, targetVm: number, device: string): void {
  m.sink({ k: 'vpicdProc', phase, proc, irq, targetVm, device, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function virtRequest(m: M, op: 'set' | 'clear', irq: number, targetVm: number): void {
  m.sink({ k: 'virtRequest', op, irq, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function virtMask(m: M, irq: number, masked: boolean, targetVm: number): void {
  m.sink({ k: 'virtMask', irq, masked, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function virtInt(m: M, irq: number, targetVm: number): void {
  m.sink({ k: 'virtInt', irq, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function virtEoi(m: M, irq: number, targetVm: number): void {
  m.sink({ k: 'virtEoi', irq, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function virtIret(m: M, irq: number, targetVm: number, timedOut: boolean): void {
  m.sink({ k: 'virtIret', irq, targetVm, timedOut, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function processBegin(m: M): void {
  m.sink({ k: 'processBegin', seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function processEnd(m: M, dispatched: number): void {
  m.sink({ k: 'processEnd', dispatched, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function taskSwitch(m: M, from: number, to: number): void {
  m.sink({ k: 'taskSwitch', from, to, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function boost(m: M, targetVm: number, delta: number, reason: string, handle: number): void {
  m.sink({ k: 'boost', targetVm, delta, reason, handle, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function critical(m: M, op: RecordOf<'critical'>['op'], owner: number, count: number): void {
  m.sink({ k: 'critical', op, owner, count, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function vmLifecycle(m: M, op: RecordOf<'vmLifecycle'>['op'], targetVm: number): void {
  m.sink({ k: 'vmLifecycle', op, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}

export function violation(m: M, kind: string, severity: ViolationSeverity, message: string, device: string, handle: number): void {
  m.sink({ k: 'violation', kind, severity, message, device, handle, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter });
}
