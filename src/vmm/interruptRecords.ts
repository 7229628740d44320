/**
 * The records of interrupts: hardware IRQs raised, taken and ended, VPICD's descriptor
 * procedures, and each VM's virtual PIC (records.ts says how every record is made).
 */
import { KIND } from './recordKinds.js';
import type { RecordOf, VpicdProc } from './history.js';
import { bool, K, NULL_WORD, phase as phaseWord, requestOpWord, vpicdProcWord } from './traceHash.js';
import { begin, type M, type NamedDevice, type Phase } from './recordMaking.js';

export function irqRaise(m: M, sources: number, lines: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.irqRaise);
  w[o + 3] = sources; w[o + 4] = lines;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.irqRaise) as RecordOf<'irqRaise'>;
  r.sources = sources; r.lines = lines;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.irqRaise);
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
  m.sink.read(r, KIND.irqEnter);
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
  m.sink.read(r, KIND.irqExit);
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
  m.sink.read(r, KIND.eoi);
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
  m.sink.read(r, KIND.vpicdProc);
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
  m.sink.read(r, KIND.virtRequest);
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
  m.sink.read(r, KIND.virtMask);
}

export function physMask(m: M, irq: number, masked: boolean): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.physMask);
  w[o + 3] = bool(masked); w[o + 4] = irq;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.physMask) as RecordOf<'physMask'>;
  r.irq = irq; r.masked = masked;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.physMask);
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
  m.sink.read(r, KIND.virtInt);
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
  m.sink.read(r, KIND.virtEoi);
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
  m.sink.read(r, KIND.virtIret);
}
