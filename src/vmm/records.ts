/**
 * Making history records: one function per kind. Each builds its record whole, in one object
 * literal, where the CPU is (seq, ticks, vm, ctx, reenter) included, so every record of a kind
 * has one fixed shape from birth (fast to make, and fast for every consumer to read). Field
 * order is the kind's own fields, then where the CPU is.
 *
 * Each also feeds the record's words to the trace hash right here, where its kind and fields are
 * at hand (no record read back, no dispatch on its kind): `begin` writes the three words every
 * record starts with, the function the kind's own (as test/support/traceOracle.ts defines them
 * from a finished record, which the tests hold it to), `trace.feed` takes them (the hash digests the ring of words in bulk); the run's
 * counters are counted here too (`trace.counter`, the same as `Counter.count` of the record).
 * Then the record goes to the sink, once, with its kind's number; records are never changed after that.
 */
import type { CheckpointRecorder } from './checkpoints.js';
import { KIND, type RecordSink } from './recordKinds.js';
import type { ClientOp } from './clientOps.js';
import type { ControlMessage } from './constants.js';
import type { EventKind } from './eventTable.js';
import type { CancelOutcome, CpuContext, RecordOf, ViolationSeverity, VmSnapshot, VpicdProc } from './history.js';
import type { ServiceName } from './services.js';
import {
  bool, cancelOutcomeWord, eventKindWord as ek, head, K, NULL_WORD, OP, phase as phaseWord, requestOpWord, stateWords, vpicdProcWord,
} from './traceHash.js';

/** What a record notes of the machine: where the CPU is, where records go, the trace hash. */
export interface RecordingMachine {
  seq: number;
  readonly ticks: number;
  readonly current: { readonly id: number };
  readonly ctx: CpuContext;
  readonly reenter: number;
  readonly sink: RecordSink;
  readonly trace: CheckpointRecorder;
}

type M = RecordingMachine;
/** A device as the records name it: its name, and that name's word (stringWord), computed once per device. */
export interface NamedDevice {
  readonly name: string;
  readonly nameWord: number;
}
type Phase = 'enter' | 'exit';

/**
 * Writes the three words every record starts with (its seq is its place in the stream: not
 * hashed) where the record's words go in the hasher's ring; returns that place, `o`: the kind's
 * own words follow at o + 3, and `trace.feed` takes where they end.
 */
function begin(m: M, kind: number): number {
  const hasher = m.trace.hasher;
  const o = hasher.at;
  head(hasher.w, o, m.ticks, m.current.id, m.reenter, m.ctx, kind);
  return o;
}

/** Writes a string's word at w[at]. */
function str(m: M, at: number, value: string): void {
  m.trace.hasher.str(at, value);
}

export function clientOp(m: M, op: ClientOp): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.clientOp);
  let n = o + 3;
  switch (op.op) {
    case 'run': w[n++] = OP.run; w[n++] = op.ticks; break;
    case 'trap': w[n++] = OP.trap; w[n++] = op.device; w[n++] = op.entry; w[n++] = op.arg; break;
    case 'mode': w[n++] = OP.mode; w[n++] = bool(op.pm); break;
    case 'mask': w[n++] = OP.mask; w[n++] = op.irq; w[n++] = bool(op.masked); break;
    case 'cli': w[n++] = OP.cli; break;
    case 'sti': w[n++] = OP.sti; break;
    case 'iret': w[n++] = OP.iret; break;
    case 'eoi': w[n++] = OP.eoi; break;
  }
  m.trace.feed(n);
  m.trace.counter.counts.steps++;
  m.sink({ k: 'clientOp', op, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.clientOp);
}

/** `nameWord`, `deviceWord`: the two names' words (stringWord), computed once by the callers, not per record. */
export function service(m: M, name: ServiceName, nameWord: number, device: string, deviceWord: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.service);
  w[o + 3] = nameWord; w[o + 4] = deviceWord;
  m.trace.feed(o + 5);
  m.trace.counter.counts.serviceCalls++;
  m.sink({ k: 'service', service: name, device, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.service);
}

export function serviceResult(m: M, name: ServiceName, nameWord: number, esi: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.serviceResult);
  w[o + 3] = nameWord; w[o + 4] = esi;
  m.trace.feed(o + 5);
  m.sink({ k: 'serviceResult', service: name, esi, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.serviceResult);
}

/** `nameWord`, `callbackWord`: the service's (SERVICE_WORD) and the callback's (a CallbackTarget's), computed once. */
export function calledNow(m: M, kind: EventKind, name: ServiceName, nameWord: number, callback: string, callbackWord: number, refData: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.calledNow);
  w[o + 3] = ek(kind); w[o + 4] = nameWord; w[o + 5] = callbackWord; w[o + 6] = refData; w[o + 7] = targetVm;
  m.trace.feed(o + 8);
  m.trace.counter.counts.calledNow++;
  m.sink({
    k: 'calledNow', kind, service: name, callback, refData, targetVm,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  }, KIND.calledNow);
}

export function scheduled(
  m: M, kind: EventKind, name: ServiceName, nameWord: number, handle: number, callback: string, callbackWord: number, refData: number,
  targetVm: number, boost: number, flags: number, deadlineTicks: number, latitude: boolean, state: VmSnapshot | null,
): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.scheduled);
  w[o + 3] = ek(kind); w[o + 4] = nameWord; w[o + 5] = callbackWord;
  w[o + 6] = handle; w[o + 7] = refData; w[o + 8] = targetVm; w[o + 9] = boost; w[o + 10] = flags; w[o + 11] = deadlineTicks; w[o + 12] = bool(latitude);
  m.trace.feed(state === null ? o + 13 : stateWords(w, o + 13, state));
  m.trace.counter.counts.scheduled++;
  m.sink({
    k: 'scheduled', kind, service: name, handle, callback, refData, targetVm, boost, flags, deadlineTicks, latitude, state,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  }, KIND.scheduled);
}

export function dispatch(
  m: M, kind: EventKind, handle: number, callback: string, callbackWord: number, refData: number, targetVm: number, inline: boolean,
  timedOut: boolean, ebx: number, flags: number, state: VmSnapshot | null,
): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.dispatch);
  w[o + 3] = ek(kind); w[o + 4] = callbackWord;
  w[o + 5] = handle; w[o + 6] = refData; w[o + 7] = targetVm; w[o + 8] = ebx; w[o + 9] = flags; w[o + 10] = bool(inline); w[o + 11] = bool(timedOut);
  m.trace.feed(state === null ? o + 12 : stateWords(w, o + 12, state));
  m.trace.counter.dispatch(kind, inline, timedOut);
  m.sink({
    k: 'dispatch', kind, handle, callback, refData, targetVm, inline, timedOut, ebx, flags, state,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  }, KIND.dispatch);
}

export function callbackReturn(m: M, handle: number, callback: string, callbackWord: number, clobbered: string[]): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.return);
  w[o + 3] = callbackWord; w[o + 4] = handle; w[o + 5] = clobbered.length;
  let n = o + 6;
  for (let i = 0; i < clobbered.length; i++) str(m, n++, clobbered[i]!);
  m.trace.feed(n);
  m.sink({ k: 'return', handle, callback, clobbered, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.return);
}

export function cancel(
  m: M, kind: EventKind, handle: number, by: NamedDevice, inCallbackOf: number, outcome: CancelOutcome,
  victimKind: EventKind | null, victimHandle: number,
): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.cancel);
  const device = by.name;
  w[o + 3] = ek(kind); w[o + 4] = cancelOutcomeWord(outcome); w[o + 5] = victimKind === null ? NULL_WORD : ek(victimKind); w[o + 6] = by.nameWord;
  w[o + 7] = handle; w[o + 8] = victimHandle; w[o + 9] = inCallbackOf;
  m.trace.feed(o + 10);
  m.trace.counter.cancel(outcome);
  m.sink({
    k: 'cancel', kind, handle, device, inCallbackOf, outcome, victimKind, victimHandle,
    seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter,
  }, KIND.cancel);
}

export function discarded(m: M, kind: EventKind, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.discarded);
  w[o + 3] = ek(kind); str(m, o + 4, 'vmDestroyed'); w[o + 5] = handle;
  m.trace.feed(o + 6);
  m.trace.counter.counts.discarded++;
  m.sink({ k: 'discarded', kind, handle, reason: 'vmDestroyed', seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.discarded);
}

export function irqRaise(m: M, sources: number, lines: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqRaise);
  w[o + 3] = sources; w[o + 4] = lines;
  m.trace.feed(o + 5);
  m.sink({ k: 'irqRaise', sources, lines, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.irqRaise);
}

export function irqEnter(m: M, irq: number, nested: boolean): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqEnter);
  w[o + 3] = irq; w[o + 4] = bool(nested);
  m.trace.feed(o + 5);
  m.trace.counter.irqEnter(irq, nested);
  m.sink({ k: 'irqEnter', irq, nested, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.irqEnter);
}

export function irqExit(m: M, irq: number, claimer: NamedDevice | null): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqExit);
  const claimedBy = claimer === null ? null : claimer.name;
  w[o + 3] = irq; w[o + 4] = claimer === null ? NULL_WORD : claimer.nameWord;
  m.trace.feed(o + 5);
  m.trace.counter.irqExit();
  m.sink({ k: 'irqExit', irq, claimedBy, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.irqExit);
}

export function eoi(m: M, irq: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.eoi);
  w[o + 3] = irq;
  m.trace.feed(o + 4);
  m.trace.counter.eoi(irq);
  m.sink({ k: 'eoi', irq, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.eoi);
}

export function control(m: M, phase: Phase, message: ControlMessage, targetVm: number, device: string): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.control);
  str(m, o + 3, message); w[o + 4] = phaseWord(phase); str(m, o + 5, device); w[o + 6] = targetVm;
  m.trace.feed(o + 7);
  m.trace.counter.control(phase);
  m.sink({ k: 'control', phase, message, targetVm, device, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.control);
}

export function trapReturn(m: M): void {
  const o = begin(m, K.trapReturn);
  m.trace.feed(o + 3);
  m.sink({ k: 'trapReturn', seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.trapReturn);
}

export function nestedExec(m: M, phase: Phase): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.nestedExec);
  w[o + 3] = phaseWord(phase);
  m.trace.feed(o + 4);
  m.sink({ k: 'nestedExec', phase, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.nestedExec);
}

export function vpicdProc(m: M, phase: Phase, proc: VpicdProc, irq: number, targetVm: number, of: NamedDevice): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.vpicdProc);
  const device = of.name;
  w[o + 3] = vpicdProcWord(proc); w[o + 4] = phaseWord(phase); w[o + 5] = of.nameWord; w[o + 6] = irq; w[o + 7] = targetVm;
  m.trace.feed(o + 8);
  m.sink({ k: 'vpicdProc', phase, proc, irq, targetVm, device, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.vpicdProc);
}

export function virtRequest(m: M, op: 'set' | 'clear', irq: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtRequest);
  w[o + 3] = requestOpWord(op); w[o + 4] = irq; w[o + 5] = targetVm;
  m.trace.feed(o + 6);
  m.trace.counter.virtRequest(irq, targetVm);
  m.sink({ k: 'virtRequest', op, irq, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.virtRequest);
}

export function virtMask(m: M, irq: number, masked: boolean, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtMask);
  w[o + 3] = bool(masked); w[o + 4] = irq; w[o + 5] = targetVm;
  m.trace.feed(o + 6);
  m.trace.counter.counts.virtualMaskChanges++;
  m.sink({ k: 'virtMask', irq, masked, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.virtMask);
}

export function virtInt(m: M, irq: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtInt);
  w[o + 3] = irq; w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  m.trace.counter.virtInt(irq, targetVm);
  m.sink({ k: 'virtInt', irq, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.virtInt);
}

export function virtEoi(m: M, irq: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtEoi);
  w[o + 3] = irq; w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  m.trace.counter.virtEoi(irq, targetVm);
  m.sink({ k: 'virtEoi', irq, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.virtEoi);
}

export function virtIret(m: M, irq: number, targetVm: number, timedOut: boolean): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtIret);
  w[o + 3] = bool(timedOut); w[o + 4] = irq; w[o + 5] = targetVm;
  m.trace.feed(o + 6);
  m.trace.counter.virtIret(timedOut);
  m.sink({ k: 'virtIret', irq, targetVm, timedOut, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.virtIret);
}

export function processBegin(m: M): void {
  const o = begin(m, K.processBegin);
  m.trace.feed(o + 3);
  m.trace.counter.counts.processingPasses++;
  m.sink({ k: 'processBegin', seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.processBegin);
}

export function processEnd(m: M, dispatched: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.processEnd);
  w[o + 3] = dispatched;
  m.trace.feed(o + 4);
  m.sink({ k: 'processEnd', dispatched, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.processEnd);
}

export function taskSwitch(m: M, from: number, to: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.taskSwitch);
  w[o + 3] = from; w[o + 4] = to;
  m.trace.feed(o + 5);
  m.trace.counter.counts.taskSwitches++;
  m.sink({ k: 'taskSwitch', from, to, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.taskSwitch);
}

export function boost(m: M, targetVm: number, delta: number, reason: string, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.boost);
  str(m, o + 3, reason); w[o + 4] = targetVm; w[o + 5] = delta; w[o + 6] = handle;
  m.trace.feed(o + 7);
  m.trace.counter.boost(reason, delta);
  m.sink({ k: 'boost', targetVm, delta, reason, handle, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.boost);
}

export function critical(m: M, op: RecordOf<'critical'>['op'], owner: number, count: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.critical);
  str(m, o + 3, op); w[o + 4] = owner; w[o + 5] = count;
  m.trace.feed(o + 6);
  m.trace.counter.critical(op);
  m.sink({ k: 'critical', op, owner, count, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.critical);
}

export function vmLifecycle(m: M, op: RecordOf<'vmLifecycle'>['op'], targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.vmLifecycle);
  str(m, o + 3, op); w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  m.sink({ k: 'vmLifecycle', op, targetVm, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.vmLifecycle);
}

export function violation(m: M, kind: string, severity: ViolationSeverity, message: string, device: string, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.violation);
  str(m, o + 3, kind); str(m, o + 4, severity); str(m, o + 5, message); str(m, o + 6, device); w[o + 7] = handle;
  m.trace.feed(o + 8);
  m.sink({ k: 'violation', kind, severity, message, device, handle, seq: m.seq++, ticks: m.ticks, vm: m.current.id, ctx: m.ctx, reenter: m.reenter }, KIND.violation);
}
