/**
 * The records of the event services: a service call and its result, a callback called now, an
 * event scheduled, dispatched, returned from, cancelled, discarded, or blocked on the critical
 * section (records.ts says how every record is made).
 */
import { KIND } from './recordKinds.js';
import type { EventKind } from './eventTable.js';
import type { CancelOutcome, RecordOf, VmSnapshot } from './history.js';
import type { ServiceName } from './services.js';
import { bool, cancelOutcomeWord, eventKindWord as ek, K, NULL_WORD, stateWords } from './traceHash.js';
import { begin, str, type M, type NamedDevice } from './recordMaking.js';
import { EFLAGS_CF } from '../shared/clientRegs.js';

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
  m.sink.read(r, KIND.service);
}

export function serviceResult(m: M, name: ServiceName, nameWord: number, esi: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.serviceResult);
  w[o + 3] = nameWord; w[o + 4] = esi;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.serviceResult) as RecordOf<'serviceResult'>;
  r.service = name; r.esi = esi;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.serviceResult);
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
  m.sink.read(r, KIND.calledNow);
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
  m.sink.read(r, KIND.scheduled);
}

/**
 * `regs`: the register file, whose EBX (the current VM's handle) the record notes. Read here, not
 * passed as a number: a handle is above 2^31, and such a number passed to a call is a new heap
 * number (one per event, measured).
 */
export function dispatch(
  m: M, kind: EventKind, handle: number, callback: string, callbackWord: number, refData: number, targetVm: number, inline: boolean,
  timedOut: boolean, regs: { readonly ebx: number; readonly eflags: number }, flags: number, state: VmSnapshot | null,
): void {
  const ebx = regs.ebx;
  const carry = (regs.eflags & EFLAGS_CF) !== 0;
  const w = m.trace.hasher.w;
  const o = begin(m, K.dispatch);
  w[o + 3] = ek(kind); w[o + 4] = callbackWord;
  w[o + 5] = handle; w[o + 6] = refData; w[o + 7] = targetVm; w[o + 8] = ebx; w[o + 9] = flags; w[o + 10] = bool(inline); w[o + 11] = bool(timedOut); w[o + 12] = bool(carry);
  m.trace.feed(state === null ? o + 13 : stateWords(w, o + 13, state));
  m.trace.counter.dispatch(kind, inline, timedOut);
  const r = m.records.next(KIND.dispatch) as RecordOf<'dispatch'>;
  r.kind = kind; r.handle = handle; r.callback = callback; r.refData = refData; r.targetVm = targetVm; r.inline = inline; r.timedOut = timedOut; r.carry = carry; r.ebx = ebx; r.flags = flags; r.state = state;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.dispatch);
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
  m.sink.read(r, KIND.return);
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
  m.sink.read(r, KIND.cancel);
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
  m.sink.read(r, KIND.discarded);
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
  m.sink.read(r, KIND.blockedCallback);
}
