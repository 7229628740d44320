/**
 * The records of the machine around the events: client ops, traps' returns, nested execution,
 * System_Control messages, processing passes, task switches, boosts, the critical section, VM
 * lifecycles and violations (records.ts says how every record is made).
 */
import { KIND } from './recordKinds.js';
import type { ClientOp } from './clientOps.js';
import type { ControlMessage } from './constants.js';
import type { RecordOf, ViolationSeverity } from './history.js';
import { bool, K, OP, phase as phaseWord } from './traceHash.js';
import { begin, str, type M, type Phase } from './recordMaking.js';

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
  m.sink.read(r, KIND.clientOp);
}

export function trapReturn(m: M): void {
  const o = begin(m, K.trapReturn);
  m.trace.feed(o + 3);
  const r = m.records.next(KIND.trapReturn) as RecordOf<'trapReturn'>;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.trapReturn);
}

export function nestedExec(m: M, phase: Phase): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.nestedExec);
  w[o + 3] = phaseWord(phase);
  m.trace.feed(o + 4);
  const r = m.records.next(KIND.nestedExec) as RecordOf<'nestedExec'>;
  r.phase = phase;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.nestedExec);
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
  m.sink.read(r, KIND.control);
}

export function processBegin(m: M): void {
  const o = begin(m, K.processBegin);
  m.trace.feed(o + 3);
  m.trace.counter.counts.processingPasses++;
  const r = m.records.next(KIND.processBegin) as RecordOf<'processBegin'>;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.processBegin);
}

export function processEnd(m: M, dispatched: number, cut: boolean): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.processEnd);
  w[o + 3] = dispatched; w[o + 4] = bool(cut);
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.processEnd) as RecordOf<'processEnd'>;
  r.dispatched = dispatched; r.cut = cut;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.processEnd);
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
  m.sink.read(r, KIND.taskSwitch);
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
  m.sink.read(r, KIND.boost);
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
  m.sink.read(r, KIND.critical);
}

export function vmLifecycle(m: M, op: RecordOf<'vmLifecycle'>['op'], targetVm: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.vmLifecycle);
  str(m, o + 3, op); w[o + 4] = targetVm;
  m.trace.feed(o + 5);
  const r = m.records.next(KIND.vmLifecycle) as RecordOf<'vmLifecycle'>;
  r.op = op; r.targetVm = targetVm;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.vmLifecycle);
}

export function violation(m: M, kind: string, severity: ViolationSeverity, message: string, device: string, handle: number): void {
  const w = m.trace.hasher.w;
  const o = begin(m, K.violation);
  str(m, o + 3, kind); str(m, o + 4, severity); str(m, o + 5, message); str(m, o + 6, device); w[o + 7] = handle;
  m.trace.feed(o + 8);
  const r = m.records.next(KIND.violation) as RecordOf<'violation'>;
  r.kind = kind; r.severity = severity; r.message = message; r.device = device; r.handle = handle;
  r.seq = m.seq++; r.ticks = m.ticks; r.vm = m.current.id; r.ctx = m.ctx; r.reenter = m.reenter;
  m.sink.read(r, KIND.violation);
}
