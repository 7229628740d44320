/**
 * Making history records: one function per kind. Each writes its record whole, where the CPU is
 * (seq, ticks, vm, ctx, reenter) included, into an object of its kind's one fixed shape (fast
 * for every consumer to read). Field order is the kind's own fields, then where the CPU is.
 *
 * Each also feeds the record's words to the trace hash right here, where its kind and fields are
 * at hand (no record read back, no dispatch on its kind): `begin` writes the three words every
 * record starts with, the function the kind's own (as test/support/traceOracle.ts defines them
 * from a finished record, which the tests hold it to), `trace.feed` takes them (the hash digests the ring of words in bulk); the run's
 * counters are counted here too (`trace.counter`, the same as `Counter.count` of the record).
 * The record itself is written into the object the machine's RecordRing hands out for its kind
 * (no object made per record: recordRing.ts says why and for how long it stays whole), every
 * field of its kind's shape written, then it goes to the sink, once, with its kind's number.
 * Each maker writes its fields itself, not through a shared helper: a store site that saw the
 * ~30 kinds' shapes would be megamorphic, one per maker sees one shape.
 */
import type { CheckpointRecorder } from './checkpoints.js';
import { KIND, type RecordSink } from './recordKinds.js';
import type { RecordRing } from './recordRing.js';
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
  /** The objects records are made in (the tail a report shows). */
  readonly records: RecordRing;
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
  const r = m.records.next(KIND.clientOp) as RecordOf<'clientOp'>;
  r.op = op;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.clientOp);
}

/** `nameWord`, `deviceWord`: the two names' words (stringWord), computed once by the callers, not per record. */
export function service(m: M, name: ServiceName, nameWord: number, device: string, deviceWord: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.service);
  w[o + 3] = nameWord; w[o + 4] = deviceWord;
  m.trace.feed(o + 5);
  m.trace.counter.counts.serviceCalls++;
  const r = m.records.next(KIND.service) as RecordOf<'service'>;
  r.service = name; r.device = device;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.service);
}

export function serviceResult(m: M, name: ServiceName, nameWord: number, esi: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.serviceResult);
  w[o + 3] = nameWord; w[o + 4] = esi;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.serviceResult) as RecordOf<'serviceResult'>;
  r.service = name; r.esi = esi;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.serviceResult);
}

/** `nameWord`, `callbackWord`: the service's (SERVICE_WORD) and the callback's (a CallbackTarget's), computed once. */
export function calledNow(m: M, kind: EventKind, name: ServiceName, nameWord: number, callback: string, callbackWord: number, refData: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.calledNow);
  w[o + 3] = ek(kind); w[o + 4] = nameWord; w[o + 5] = callbackWord; w[o + 6] = refData; w[o + 7] = targetVm;
  m.trace.feed(o + 8);
  m.trace.counter.counts.calledNow++;
  const r = m.records.next(KIND.calledNow) as RecordOf<'calledNow'>;
  r.kind = kind; r.service = name; r.callback = callback; r.refData = refData; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.calledNow);
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
  const r = m.records.next(KIND.scheduled) as RecordOf<'scheduled'>;
  r.kind = kind; r.service = name; r.handle = handle; r.callback = callback; r.refData = refData; r.targetVm = targetVm; r.boost = boost; r.flags = flags; r.deadlineTicks = deadlineTicks; r.latitude = latitude; r.state = state;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.scheduled);
}

/**
 * `regs`: the register file, whose EBX (the current VM's handle) the record notes. Read here, not
 * passed as a number: a handle is above 2^31, and such a number passed to a call is a new heap
 * number (one per event, measured).
 */
export function dispatch(
  m: M, kind: EventKind, handle: number, callback: string, callbackWord: number, refData: number, targetVm: number, inline: boolean,
  timedOut: boolean, regs: { readonly ebx: number }, flags: number, state: VmSnapshot | null,
): void {
  const ebx = regs.ebx;
  const w = m.trace.hasher.w;
  const o = begin(m, K.dispatch);
  w[o + 3] = ek(kind); w[o + 4] = callbackWord;
  w[o + 5] = handle; w[o + 6] = refData; w[o + 7] = targetVm; w[o + 8] = ebx; w[o + 9] = flags; w[o + 10] = bool(inline); w[o + 11] = bool(timedOut);
  m.trace.feed(state === null ? o + 12 : stateWords(w, o + 12, state));
  m.trace.counter.dispatch(kind, inline, timedOut);
  const r = m.records.next(KIND.dispatch) as RecordOf<'dispatch'>;
  r.kind = kind; r.handle = handle; r.callback = callback; r.refData = refData; r.targetVm = targetVm; r.inline = inline; r.timedOut = timedOut; r.ebx = ebx; r.flags = flags; r.state = state;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.dispatch);
}

export function callbackReturn(m: M, handle: number, callback: string, callbackWord: number, clobbered: string[]): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.return);
  w[o + 3] = callbackWord; w[o + 4] = handle; w[o + 5] = clobbered.length;
  let n = o + 6;
  for (let i = 0; i < clobbered.length; i++) str(m, n++, clobbered[i]!);
  m.trace.feed(n);
  const r = m.records.next(KIND.return) as RecordOf<'return'>;
  r.handle = handle; r.callback = callback; r.clobbered = clobbered;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.return);
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
  const r = m.records.next(KIND.cancel) as RecordOf<'cancel'>;
  r.kind = kind; r.handle = handle; r.device = device; r.inCallbackOf = inCallbackOf; r.outcome = outcome; r.victimKind = victimKind; r.victimHandle = victimHandle;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.cancel);
}

export function discarded(m: M, kind: EventKind, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.discarded);
  w[o + 3] = ek(kind); str(m, o + 4, 'vmDestroyed'); w[o + 5] = handle;
  m.trace.feed(o + 6);
  m.trace.counter.counts.discarded++;
  const r = m.records.next(KIND.discarded) as RecordOf<'discarded'>;
  r.kind = kind; r.handle = handle; r.reason = 'vmDestroyed';
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.discarded);
}

export function irqRaise(m: M, sources: number, lines: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqRaise);
  w[o + 3] = sources; w[o + 4] = lines;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.irqRaise) as RecordOf<'irqRaise'>;
  r.sources = sources; r.lines = lines;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.irqRaise);
}

export function irqEnter(m: M, irq: number, nested: boolean): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqEnter);
  w[o + 3] = irq; w[o + 4] = bool(nested);
  m.trace.feed(o + 5);
  m.trace.counter.irqEnter(irq, nested);
  const r = m.records.next(KIND.irqEnter) as RecordOf<'irqEnter'>;
  r.irq = irq; r.nested = nested;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.irqEnter);
}

export function irqExit(m: M, irq: number, claimer: NamedDevice | null): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqExit);
  const claimedBy = claimer === null ? null : claimer.name;
  w[o + 3] = irq; w[o + 4] = claimer === null ? NULL_WORD : claimer.nameWord;
  m.trace.feed(o + 5);
  m.trace.counter.irqExit();
  const r = m.records.next(KIND.irqExit) as RecordOf<'irqExit'>;
  r.irq = irq; r.claimedBy = claimedBy;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.irqExit);
}

export function eoi(m: M, irq: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.eoi);
  w[o + 3] = irq;
  m.trace.feed(o + 4);
  m.trace.counter.eoi(irq);
  const r = m.records.next(KIND.eoi) as RecordOf<'eoi'>;
  r.irq = irq;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.eoi);
}

export function control(m: M, phase: Phase, message: ControlMessage, targetVm: number, device: string): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.control);
  str(m, o + 3, message); w[o + 4] = phaseWord(phase); str(m, o + 5, device); w[o + 6] = targetVm;
  m.trace.feed(o + 7);
  m.trace.counter.control(phase);
  const r = m.records.next(KIND.control) as RecordOf<'control'>;
  r.phase = phase; r.message = message; r.targetVm = targetVm; r.device = device;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.control);
}

export function trapReturn(m: M): void {
  const o = begin(m, K.trapReturn);
  m.trace.feed(o + 3);
  const r = m.records.next(KIND.trapReturn) as RecordOf<'trapReturn'>;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.trapReturn);
}

export function nestedExec(m: M, phase: Phase): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.nestedExec);
  w[o + 3] = phaseWord(phase);
  m.trace.feed(o + 4);
  const r = m.records.next(KIND.nestedExec) as RecordOf<'nestedExec'>;
  r.phase = phase;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.nestedExec);
}

export function vpicdProc(m: M, phase: Phase, proc: VpicdProc, irq: number, targetVm: number, of: NamedDevice): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.vpicdProc);
  const device = of.name;
  w[o + 3] = vpicdProcWord(proc); w[o + 4] = phaseWord(phase); w[o + 5] = of.nameWord; w[o + 6] = irq; w[o + 7] = targetVm;
  m.trace.feed(o + 8);
  const r = m.records.next(KIND.vpicdProc) as RecordOf<'vpicdProc'>;
  r.phase = phase; r.proc = proc; r.irq = irq; r.targetVm = targetVm; r.device = device;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.vpicdProc);
}

export function virtRequest(m: M, op: 'set' | 'clear', irq: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtRequest);
  w[o + 3] = requestOpWord(op); w[o + 4] = irq; w[o + 5] = targetVm;
  m.trace.feed(o + 6);
  m.trace.counter.virtRequest(irq, targetVm);
  const r = m.records.next(KIND.virtRequest) as RecordOf<'virtRequest'>;
  r.op = op; r.irq = irq; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.virtRequest);
}

export function virtMask(m: M, irq: number, masked: boolean, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtMask);
  w[o + 3] = bool(masked); w[o + 4] = irq; w[o + 5] = targetVm;
  m.trace.feed(o + 6);
  m.trace.counter.counts.virtualMaskChanges++;
  const r = m.records.next(KIND.virtMask) as RecordOf<'virtMask'>;
  r.irq = irq; r.masked = masked; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.virtMask);
}

export function virtInt(m: M, irq: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtInt);
  w[o + 3] = irq; w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  m.trace.counter.virtInt(irq, targetVm);
  const r = m.records.next(KIND.virtInt) as RecordOf<'virtInt'>;
  r.irq = irq; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.virtInt);
}

export function virtEoi(m: M, irq: number, targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtEoi);
  w[o + 3] = irq; w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  m.trace.counter.virtEoi(irq, targetVm);
  const r = m.records.next(KIND.virtEoi) as RecordOf<'virtEoi'>;
  r.irq = irq; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.virtEoi);
}

export function virtIret(m: M, irq: number, targetVm: number, timedOut: boolean): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.virtIret);
  w[o + 3] = bool(timedOut); w[o + 4] = irq; w[o + 5] = targetVm;
  m.trace.feed(o + 6);
  m.trace.counter.virtIret(timedOut);
  const r = m.records.next(KIND.virtIret) as RecordOf<'virtIret'>;
  r.irq = irq; r.targetVm = targetVm; r.timedOut = timedOut;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.virtIret);
}

export function processBegin(m: M): void {
  const o = begin(m, K.processBegin);
  m.trace.feed(o + 3);
  m.trace.counter.counts.processingPasses++;
  const r = m.records.next(KIND.processBegin) as RecordOf<'processBegin'>;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.processBegin);
}

export function processEnd(m: M, dispatched: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.processEnd);
  w[o + 3] = dispatched;
  m.trace.feed(o + 4);
  const r = m.records.next(KIND.processEnd) as RecordOf<'processEnd'>;
  r.dispatched = dispatched;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.processEnd);
}

export function taskSwitch(m: M, from: number, to: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.taskSwitch);
  w[o + 3] = from; w[o + 4] = to;
  m.trace.feed(o + 5);
  m.trace.counter.counts.taskSwitches++;
  const r = m.records.next(KIND.taskSwitch) as RecordOf<'taskSwitch'>;
  r.from = from; r.to = to;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.taskSwitch);
}

export function boost(m: M, targetVm: number, delta: number, reason: string, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.boost);
  str(m, o + 3, reason); w[o + 4] = targetVm; w[o + 5] = delta; w[o + 6] = handle;
  m.trace.feed(o + 7);
  m.trace.counter.boost(reason, delta);
  const r = m.records.next(KIND.boost) as RecordOf<'boost'>;
  r.targetVm = targetVm; r.delta = delta; r.reason = reason; r.handle = handle;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.boost);
}

export function critical(m: M, op: RecordOf<'critical'>['op'], owner: number, count: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.critical);
  str(m, o + 3, op); w[o + 4] = owner; w[o + 5] = count;
  m.trace.feed(o + 6);
  m.trace.counter.critical(op);
  const r = m.records.next(KIND.critical) as RecordOf<'critical'>;
  r.op = op; r.owner = owner; r.count = count;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.critical);
}

export function vmLifecycle(m: M, op: RecordOf<'vmLifecycle'>['op'], targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.vmLifecycle);
  str(m, o + 3, op); w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.vmLifecycle) as RecordOf<'vmLifecycle'>;
  r.op = op; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.vmLifecycle);
}

export function violation(m: M, kind: string, severity: ViolationSeverity, message: string, device: string, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.violation);
  str(m, o + 3, kind); str(m, o + 4, severity); str(m, o + 5, message); str(m, o + 6, device); w[o + 7] = handle;
  m.trace.feed(o + 8);
  const r = m.records.next(KIND.violation) as RecordOf<'violation'>;
  r.kind = kind; r.severity = severity; r.message = message; r.device = device; r.handle = handle;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.violation);
}

/** `callbackWord`: the callback's name word (a CallbackTarget's). */
export function blockedCallback(
  m: M, op: RecordOf<'blockedCallback'>['op'], kind: EventKind, handle: number, callback: string, callbackWord: number,
  targetVm: number, timedOut: boolean, flags: number, blockedVm: number, effects: number,
): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.blockedCallback);
  str(m, o + 3, op); w[o + 4] = ek(kind); w[o + 5] = callbackWord; w[o + 6] = handle; w[o + 7] = targetVm;
  w[o + 8] = bool(timedOut); w[o + 9] = flags; w[o + 10] = blockedVm; w[o + 11] = effects;
  m.trace.feed(o + 12);
  const r = m.records.next(KIND.blockedCallback) as RecordOf<'blockedCallback'>;
  r.op = op; r.kind = kind; r.handle = handle; r.callback = callback; r.targetVm = targetVm; r.timedOut = timedOut; r.flags = flags;
  r.blockedVm = blockedVm; r.effects = effects;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink(r, KIND.blockedCallback);
}
