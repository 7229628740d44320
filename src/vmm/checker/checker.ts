/**
 * The invariant checker (SPEC §7), apart from the model it checks: it reads only the history
 * stream, keeps only what is live (pending events, boosts, open frames, virtual PIC state), and
 * re-derives each rule from the records rather than trusting the model's own decisions. Where
 * the CPU is (in a Hw_Int_Proc? the re-enter count? the current VM?) comes from the frame
 * records (CpuTracker), never from the context stamps the model writes on each record. Device
 * bugs the model reported are collected too, so one object answers "what went wrong in this run".
 *
 * It reads every record the core makes (several per simulator step), so it is built for that:
 * one switch on the record's kind number (the core hands it beside the record, recordKinds.ts,
 * so the record's `k` is never loaded) calls, directly, the methods of the rules that read that kind
 * (each rule has one method per kind it reads), then moves the CPU tracker on. No record goes
 * through a rule that ignores it, the calls are monomorphic (V8 can inline them), and nothing
 * is allocated per record unless a violation is reported (besides the Map entries of live
 * events, and one small entry per pending priority event). Construction is a handful of small
 * objects: the explorer builds one checker per execution. bench/checker.ts measures both.
 */
import type { HistoryRecord, RecordOf } from '../history.js';
import { KIND, kindOf } from '../recordKinds.js';
import { EventLifecycleRule } from './lifecycleRule.js';
import { CallNowRule } from './callNowRule.js';
import { DispatchPlaceRule } from './dispatchPlaceRule.js';
import { BoostBalanceRule } from './boostRule.js';
import { CpuTracker } from './cpuTracker.js';
import { CriticalSectionRule } from './criticalRule.js';
import { InterruptRule } from './interruptRule.js';
import { PriorityOrderRule } from './priorityOrderRule.js';
import { VirtualPicRule } from './virtualPicRule.js';
import { VirtBoostEndRule } from './virtBoostRule.js';
import { LiveEventTable } from './liveEvents.js';
import type { Report, Violation } from './report.js';

export type { Report, Violation } from './report.js';

export class InvariantChecker {
  readonly violations: Violation[] = [];
  deviceBugs = 0;
  vmmBugs = 0;
  private readonly cpu = new CpuTracker();
  private readonly events = new LiveEventTable();
  private readonly lifecycle = new EventLifecycleRule(this.events);
  private readonly callNow = new CallNowRule(this.cpu);
  private readonly place = new DispatchPlaceRule(this.cpu, this.events);
  private readonly boosts = new BoostBalanceRule(this.cpu, this.events);
  private readonly interrupts = new InterruptRule(this.cpu);
  private readonly virtualPic = new VirtualPicRule(this.cpu);
  private readonly critical = new CriticalSectionRule(this.cpu);
  private readonly priorityOrder = new PriorityOrderRule(this.events);
  private readonly virtBoostEnd = new VirtBoostEndRule();
  private readonly reportVmm: Report = (v) => this.add({ ...v, severity: 'vmm' });

  /** At most this many violations are kept (a runaway bug must not exhaust memory). */
  constructor(readonly keepMax = 1000) {}

  /** A record without its kind number (records made elsewhere); an own function, to hand on as a sink. */
  readonly onRecord = (record: HistoryRecord): void => this.read(record, kindOf(record));

  finish(): void {
    this.boosts.finish(this.reportVmm);
  }

  get invariantsOk(): boolean {
    return this.vmmBugs === 0;
  }

  /**
   * The rules that read a kind are called in one fixed order (lifecycle, call-now, dispatch
   * place, boosts, interrupts, virtual PIC, critical section, priority order, VPICD's boost), so that the
   * violations of one record come out in the same order whatever the kind. The rules see the
   * CPU as it was when the record was made; the CPU tracker moves on last. `kind` is the
   * record's kind number (recordKinds.ts): the switch never loads `record.k`, and each case reads
   * one record shape.
   *
   * A kind that more than one rule reads has its own method (`onDispatch`...) calling them: the
   * optimizing compiler inlines a call only where it is frequent in its function, so in one
   * switch over ~30 kinds only the two commonest kinds' rules would be inlined, and every other
   * record would cost a call per rule. In its own method each rule's call is inlined, and a
   * record costs one call.
   */
  read(record: HistoryRecord, kind: number): void {
    if (this.virtBoostEnd.owed !== 0) this.virtBoostEnd.next(record, this.reportVmm);
    switch (kind) {
      case KIND.clientOp: return this.onClientOp(record as RecordOf<'clientOp'>);
      case KIND.service: return this.callNow.service(record as RecordOf<'service'>);
      case KIND.trapReturn: return this.cpu.trapReturn(record as RecordOf<'trapReturn'>, this.reportVmm);
      case KIND.cancel: return this.onCancel(record as RecordOf<'cancel'>);
      case KIND.serviceResult: return this.callNow.serviceResult(record as RecordOf<'serviceResult'>, this.reportVmm);
      case KIND.boost: return this.onBoost(record as RecordOf<'boost'>);
      case KIND.dispatch: return this.onDispatch(record as RecordOf<'dispatch'>);
      case KIND.return: return this.onReturn(record as RecordOf<'return'>);
      case KIND.vpicdProc: return this.cpu.vpicdProc(record as RecordOf<'vpicdProc'>, this.reportVmm);
      case KIND.scheduled: return this.onScheduled(record as RecordOf<'scheduled'>);
      case KIND.processBegin: return this.onProcessBegin(record as RecordOf<'processBegin'>);
      case KIND.processEnd: return this.onProcessEnd(record as RecordOf<'processEnd'>);
      case KIND.virtRequest: return this.onVirtRequest(record as RecordOf<'virtRequest'>);
      case KIND.critical: return this.onCritical(record as RecordOf<'critical'>);
      case KIND.calledNow: return this.callNow.calledNow(record as RecordOf<'calledNow'>, this.reportVmm);
      case KIND.irqEnter: return this.onIrqEnter(record as RecordOf<'irqEnter'>);
      case KIND.eoi: return this.interrupts.eoi(record as RecordOf<'eoi'>);
      case KIND.irqExit: return this.cpu.irqExit(record as RecordOf<'irqExit'>, this.reportVmm);
      case KIND.taskSwitch: return this.onTaskSwitch(record as RecordOf<'taskSwitch'>);
      case KIND.virtMask: return this.virtualPic.virtMask(record as RecordOf<'virtMask'>);
      case KIND.virtInt: return this.onVirtInt(record as RecordOf<'virtInt'>);
      case KIND.virtEoi: return this.virtualPic.virtEoi(record as RecordOf<'virtEoi'>, this.reportVmm);
      case KIND.discarded: return this.onDiscarded(record as RecordOf<'discarded'>);
      case KIND.violation: return this.onViolation(record as RecordOf<'violation'>);
      case KIND.nestedExec: return this.onNestedExec(record as RecordOf<'nestedExec'>);
      case KIND.control: return this.cpu.control(record as RecordOf<'control'>, this.reportVmm);
      case KIND.vmLifecycle: return this.onVmLifecycle(record as RecordOf<'vmLifecycle'>);
      case KIND.virtIret: return this.virtBoostEnd.virtIret(record as RecordOf<'virtIret'>);
      default:
        // irqRaise: no rule reads it.
        return;
    }
  }

  private onClientOp(r: RecordOf<'clientOp'>): void {
    // The op objects come in many shapes: read the op's name once for both readers.
    const op = r.op.op;
    this.virtualPic.clientOp(r, op, this.reportVmm);
    this.critical.clientOp(r, this.reportVmm);
    this.cpu.clientOp(r, op, this.reportVmm);
  }

  private onCancel(r: RecordOf<'cancel'>): void {
    this.lifecycle.cancel(r, this.reportVmm);
    this.place.cancel(r);
    this.boosts.cancel(r);
    this.priorityOrder.cancel(r);
  }

  private onBoost(r: RecordOf<'boost'>): void {
    this.boosts.boost(r, this.reportVmm);
    this.critical.boost(r, this.reportVmm);
    this.virtBoostEnd.boost(r);
  }

  private onDispatch(r: RecordOf<'dispatch'>): void {
    const report = this.reportVmm;
    this.lifecycle.dispatch(r, report);
    this.callNow.dispatch(r, report);
    this.place.dispatch(r, report);
    this.boosts.dispatch(r);
    this.interrupts.dispatch(r, report);
    this.priorityOrder.dispatch(r, report);
    this.cpu.dispatch();
  }

  private onReturn(r: RecordOf<'return'>): void {
    this.place.return();
    this.cpu.return(r, this.reportVmm);
  }

  private onScheduled(r: RecordOf<'scheduled'>): void {
    const report = this.reportVmm;
    this.lifecycle.scheduled(r, report);
    this.callNow.scheduled(r, report);
    this.place.scheduled(r);
    this.priorityOrder.scheduled(r, report);
  }

  private onProcessBegin(r: RecordOf<'processBegin'>): void {
    this.place.processBegin();
    this.interrupts.processBegin(r, this.reportVmm);
    this.cpu.processBegin();
  }

  private onProcessEnd(r: RecordOf<'processEnd'>): void {
    this.place.processEnd();
    this.boosts.processEnd(r, this.reportVmm);
    this.cpu.processEnd(r, this.reportVmm);
  }

  private onVirtRequest(r: RecordOf<'virtRequest'>): void {
    this.boosts.virtRequest(r);
    this.virtualPic.virtRequest(r);
    this.virtBoostEnd.virtRequest(r);
  }

  private onCritical(r: RecordOf<'critical'>): void {
    this.virtualPic.critical(r);
    this.critical.critical(r, this.reportVmm);
  }

  private onIrqEnter(r: RecordOf<'irqEnter'>): void {
    this.interrupts.irqEnter(r, this.reportVmm);
    this.cpu.irqEnter(r, this.reportVmm);
  }

  private onTaskSwitch(r: RecordOf<'taskSwitch'>): void {
    this.place.taskSwitch(r, this.reportVmm);
    this.interrupts.taskSwitch(r, this.reportVmm);
    this.cpu.taskSwitch(r);
  }

  private onVirtInt(r: RecordOf<'virtInt'>): void {
    this.boosts.virtInt(r, this.reportVmm);
    this.virtualPic.virtInt(r, this.reportVmm);
    this.virtBoostEnd.virtInt(r);
  }

  private onDiscarded(r: RecordOf<'discarded'>): void {
    const report = this.reportVmm;
    this.lifecycle.discarded(r, report);
    this.place.discarded(r);
    this.boosts.discarded(r);
    this.priorityOrder.discarded(r);
  }

  private onViolation(r: RecordOf<'violation'>): void {
    this.add({ kind: r.kind, severity: r.severity, message: r.message, seq: r.seq, ticks: r.ticks, device: r.device, handle: r.handle });
    // Rules see it too: a Call_* the VMM refused (reserved flags, bad VM handle) returns 0.
    this.callNow.violation(r);
  }

  private onNestedExec(r: RecordOf<'nestedExec'>): void {
    this.interrupts.nestedExec(r, this.reportVmm);
    this.cpu.nestedExec(r, this.reportVmm);
  }

  private onVmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    this.virtualPic.vmLifecycle(r);
    this.virtBoostEnd.vmLifecycle(r);
  }

  private add(violation: Violation): void {
    if (violation.severity === 'vmm') this.vmmBugs++;
    else this.deviceBugs++;
    if (this.violations.length < this.keepMax) this.violations.push(violation);
  }
}
