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
import type { Report, Violation } from './report.js';

export type { Report, Violation } from './report.js';

export class InvariantChecker {
  readonly violations: Violation[] = [];
  deviceBugs = 0;
  vmmBugs = 0;
  private readonly cpu = new CpuTracker();
  private readonly lifecycle = new EventLifecycleRule();
  private readonly callNow = new CallNowRule(this.cpu);
  private readonly place = new DispatchPlaceRule(this.cpu);
  private readonly boosts = new BoostBalanceRule(this.cpu);
  private readonly interrupts = new InterruptRule(this.cpu);
  private readonly virtualPic = new VirtualPicRule(this.cpu);
  private readonly critical = new CriticalSectionRule(this.cpu);
  private readonly priorityOrder = new PriorityOrderRule();
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
   */
  read(record: HistoryRecord, kind: number): void {
    const report = this.reportVmm;
    if (this.virtBoostEnd.owed !== 0) this.virtBoostEnd.next(record, report);
    switch (kind) {
      case KIND.clientOp: {
        const r = record as RecordOf<'clientOp'>;
        // The op objects come in many shapes: read the op's name once for both readers.
        const op = r.op.op;
        this.virtualPic.clientOp(r, op, report);
        this.critical.clientOp(r, report);
        this.cpu.clientOp(r, op, report);
        return;
      }
      case KIND.service: {
        const r = record as RecordOf<'service'>;
        this.callNow.service(r);
        return;
      }
      case KIND.trapReturn: {
        const r = record as RecordOf<'trapReturn'>;
        this.cpu.trapReturn(r, report);
        return;
      }
      case KIND.cancel: {
        const r = record as RecordOf<'cancel'>;
        this.lifecycle.cancel(r, report);
        this.place.cancel(r);
        this.boosts.cancel(r);
        this.priorityOrder.cancel(r);
        return;
      }
      case KIND.serviceResult: {
        const r = record as RecordOf<'serviceResult'>;
        this.callNow.serviceResult(r, report);
        return;
      }
      case KIND.boost: {
        const r = record as RecordOf<'boost'>;
        this.boosts.boost(r, report);
        this.critical.boost(r, report);
        this.virtBoostEnd.boost(r);
        return;
      }
      case KIND.dispatch: {
        const r = record as RecordOf<'dispatch'>;
        this.lifecycle.dispatch(r, report);
        this.callNow.dispatch(r, report);
        this.place.dispatch(r, report);
        this.boosts.dispatch(r);
        this.interrupts.dispatch(r, report);
        this.priorityOrder.dispatch(r, report);
        this.cpu.dispatch();
        return;
      }
      case KIND.return: {
        const r = record as RecordOf<'return'>;
        this.place.return();
        this.cpu.return(r, report);
        return;
      }
      case KIND.vpicdProc: {
        const r = record as RecordOf<'vpicdProc'>;
        this.cpu.vpicdProc(r, report);
        return;
      }
      case KIND.scheduled: {
        const r = record as RecordOf<'scheduled'>;
        this.lifecycle.scheduled(r, report);
        this.callNow.scheduled(r, report);
        this.place.scheduled(r);
        this.priorityOrder.scheduled(r, report);
        return;
      }
      case KIND.processBegin: {
        const r = record as RecordOf<'processBegin'>;
        this.place.processBegin();
        this.interrupts.processBegin(r, report);
        this.cpu.processBegin();
        return;
      }
      case KIND.processEnd: {
        const r = record as RecordOf<'processEnd'>;
        this.place.processEnd();
        this.boosts.processEnd(r, report);
        this.cpu.processEnd(r, report);
        return;
      }
      case KIND.virtRequest: {
        const r = record as RecordOf<'virtRequest'>;
        this.boosts.virtRequest(r);
        this.virtualPic.virtRequest(r);
        this.virtBoostEnd.virtRequest(r);
        return;
      }
      case KIND.critical: {
        const r = record as RecordOf<'critical'>;
        this.virtualPic.critical(r);
        this.critical.critical(r, report);
        return;
      }
      case KIND.calledNow: {
        const r = record as RecordOf<'calledNow'>;
        this.callNow.calledNow(r, report);
        return;
      }
      case KIND.irqEnter: {
        const r = record as RecordOf<'irqEnter'>;
        this.interrupts.irqEnter(r, report);
        this.cpu.irqEnter(r, report);
        return;
      }
      case KIND.eoi: {
        const r = record as RecordOf<'eoi'>;
        this.interrupts.eoi(r);
        return;
      }
      case KIND.irqExit: {
        const r = record as RecordOf<'irqExit'>;
        this.cpu.irqExit(r, report);
        return;
      }
      case KIND.taskSwitch: {
        const r = record as RecordOf<'taskSwitch'>;
        this.place.taskSwitch(r, report);
        this.interrupts.taskSwitch(r, report);
        this.cpu.taskSwitch(r);
        return;
      }
      case KIND.virtMask: {
        const r = record as RecordOf<'virtMask'>;
        this.virtualPic.virtMask(r);
        return;
      }
      case KIND.virtInt: {
        const r = record as RecordOf<'virtInt'>;
        this.boosts.virtInt(r, report);
        this.virtualPic.virtInt(r, report);
        this.virtBoostEnd.virtInt(r);
        return;
      }
      case KIND.virtEoi: {
        const r = record as RecordOf<'virtEoi'>;
        this.virtualPic.virtEoi(r, report);
        return;
      }
      case KIND.discarded: {
        const r = record as RecordOf<'discarded'>;
        this.lifecycle.discarded(r, report);
        this.place.discarded(r);
        this.boosts.discarded(r);
        this.priorityOrder.discarded(r);
        return;
      }
      case KIND.violation: {
        const r = record as RecordOf<'violation'>;
        this.add({
          kind: r.kind, severity: r.severity, message: r.message, seq: r.seq,
          ticks: r.ticks, device: r.device, handle: r.handle,
        });
        // Rules see it too: a Call_* the VMM refused (reserved flags, bad VM handle) returns 0.
        this.callNow.violation(r);
        return;
      }
      case KIND.nestedExec: {
        const r = record as RecordOf<'nestedExec'>;
        this.interrupts.nestedExec(r, report);
        this.cpu.nestedExec(r, report);
        return;
      }
      case KIND.control: {
        const r = record as RecordOf<'control'>;
        this.cpu.control(r, report);
        return;
      }
      case KIND.vmLifecycle: {
        const r = record as RecordOf<'vmLifecycle'>;
        this.virtualPic.vmLifecycle(r);
        this.virtBoostEnd.vmLifecycle(r);
        return;
      }
      case KIND.virtIret: {
        const r = record as RecordOf<'virtIret'>;
        this.virtBoostEnd.virtIret(r);
        return;
      }
      default:
        // irqRaise: no rule reads it.
        return;
    }
  }

  private add(violation: Violation): void {
    if (violation.severity === 'vmm') this.vmmBugs++;
    else this.deviceBugs++;
    if (this.violations.length < this.keepMax) this.violations.push(violation);
  }
}
