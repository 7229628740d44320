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
 * is allocated per record unless a violation is reported: the rules that follow an event from
 * its schedule to its end share one table of live events (liveEvents.ts, entries reused), and
 * VM sets are small arrays. Construction is a handful of small objects, and `reset` readies a
 * checker for the next execution without them: bench/checker.ts measures both.
 */
import type { HistoryRecord, RecordOf } from '../history.js';
import { KIND, KIND_NAMES, kindOf } from '../recordKinds.js';
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
import { NotExecutableRule } from './notExecutableRule.js';
import { BlockedCallbackRule } from './blockedCallbackRule.js';
import type { Report, Violation, Warn, Warning } from './report.js';

export type { Report, Violation, Warning } from './report.js';

/**
 * The kinds `read` switches on, in recordKinds.ts's order: its cases are their numbers written
 * out, since a switch over literal cases compiles to one jump table, while `case KIND.x` loads
 * each number from the KIND object and compares them one after the other (a tenth of the
 * checker's time). Checked when this module loads, so a renumbering cannot pass unseen.
 */
const READ_ORDER = [
  'clientOp', 'service', 'serviceResult', 'calledNow', 'scheduled', 'dispatch', 'return', 'cancel', 'discarded',
  'irqRaise', 'irqEnter', 'irqExit', 'eoi', 'virtInt', 'processBegin', 'processEnd', 'taskSwitch', 'boost',
  'critical', 'vmLifecycle', 'violation', 'trapReturn', 'nestedExec', 'vpicdProc', 'virtRequest', 'virtMask',
  'virtEoi', 'virtIret', 'control', 'blockedCallback',
] as const;
// Kinds added after these reach `default` (no rule reads them), as irqRaise does.
if (READ_ORDER.some((name, i) => KIND[name] !== i || KIND_NAMES[i] !== name)) {
  throw new Error('recordKinds.ts numbers the record kinds differently from the checker\'s switch (checker.ts READ_ORDER)');
}

export class InvariantChecker {
  /** A new array after `reset`: one handed out before keeps its violations. */
  violations: Violation[] = [];
  /** Neither device nor VMM bugs (report.ts): a new array after `reset`, as `violations`. */
  warnings: Warning[] = [];
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
  private readonly notExecutable = new NotExecutableRule(this.cpu);
  private readonly blockedCallbacks = new BlockedCallbackRule(this.cpu, this.critical);
  private readonly reportVmm: Report = (v) => this.add({ ...v, severity: 'vmm' });
  private readonly warn: Warn = (w) => {
    if (this.warnings.length < this.keepMax) this.warnings.push(w);
  };

  /** At most this many violations are kept (a runaway bug must not exhaust memory). */
  constructor(readonly keepMax = 1000) {}

  /** A record without its kind number (records made elsewhere); an own function, to hand on as a sink. */
  readonly onRecord = (record: HistoryRecord): void => this.read(record, kindOf(record));

  finish(): void {
    this.boosts.finish(this.reportVmm);
  }

  /**
   * Back to the state of a new checker, for the next run of the same machine: cheaper than a
   * new one (the live-event entries and every rule's arrays are kept for reuse), with the same
   * verdicts on whatever it reads next.
   */
  reset(): void {
    this.violations = [];
    this.warnings = [];
    this.deviceBugs = this.vmmBugs = 0;
    this.cpu.reset();
    this.events.clear();
    this.callNow.reset();
    this.place.reset();
    this.boosts.reset();
    this.interrupts.reset();
    this.virtualPic.reset();
    this.critical.reset();
    this.priorityOrder.reset();
    this.virtBoostEnd.reset();
    this.notExecutable.reset();
    this.blockedCallbacks.reset();
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
   * Each kind has its own method (`onDispatch`...) calling its rules: the optimizing compiler
   * inlines a call only where it is frequent in its function, so in one switch over ~30 kinds
   * only the commonest kind's rules would be inlined, and every other record would cost a call
   * per rule. In its own method each rule's call is inlined, and a record costs one call. Every
   * case is that same short call (the commonest kind, a service call, excepted), so that `read`
   * stays under the compiler's size limit for inlining a function (460 bytes of bytecode; it is
   * ~400): then the record sink that calls it inlines it, and a record costs no call to reach
   * the switch (measured: a fifth of the checker's time on the explorer's races).
   */
  read(record: HistoryRecord, kind: number): void {
    if (this.virtBoostEnd.owed !== 0) this.afterVirtIntEnded(record);
    switch (kind) {
      case 0 /* clientOp */: return this.onClientOp(record as RecordOf<'clientOp'>);
      case 1 /* service */: return this.callNow.service(record as RecordOf<'service'>);
      case 21 /* trapReturn */: return this.onTrapReturn(record as RecordOf<'trapReturn'>);
      case 7 /* cancel */: return this.onCancel(record as RecordOf<'cancel'>);
      case 2 /* serviceResult */: return this.onServiceResult(record as RecordOf<'serviceResult'>);
      case 17 /* boost */: return this.onBoost(record as RecordOf<'boost'>);
      case 5 /* dispatch */: return this.onDispatch(record as RecordOf<'dispatch'>);
      case 6 /* return */: return this.onReturn(record as RecordOf<'return'>);
      case 23 /* vpicdProc */: return this.onVpicdProc(record as RecordOf<'vpicdProc'>);
      case 4 /* scheduled */: return this.onScheduled(record as RecordOf<'scheduled'>);
      case 14 /* processBegin */: return this.onProcessBegin(record as RecordOf<'processBegin'>);
      case 15 /* processEnd */: return this.onProcessEnd(record as RecordOf<'processEnd'>);
      case 24 /* virtRequest */: return this.onVirtRequest(record as RecordOf<'virtRequest'>);
      case 18 /* critical */: return this.onCritical(record as RecordOf<'critical'>);
      case 3 /* calledNow */: return this.onCalledNow(record as RecordOf<'calledNow'>);
      case 10 /* irqEnter */: return this.onIrqEnter(record as RecordOf<'irqEnter'>);
      case 12 /* eoi */: return this.onEoi(record as RecordOf<'eoi'>);
      case 11 /* irqExit */: return this.onIrqExit(record as RecordOf<'irqExit'>);
      case 16 /* taskSwitch */: return this.onTaskSwitch(record as RecordOf<'taskSwitch'>);
      case 25 /* virtMask */: return this.onVirtMask(record as RecordOf<'virtMask'>);
      case 13 /* virtInt */: return this.onVirtInt(record as RecordOf<'virtInt'>);
      case 26 /* virtEoi */: return this.onVirtEoi(record as RecordOf<'virtEoi'>);
      case 8 /* discarded */: return this.onDiscarded(record as RecordOf<'discarded'>);
      case 20 /* violation */: return this.onViolation(record as RecordOf<'violation'>);
      case 22 /* nestedExec */: return this.onNestedExec(record as RecordOf<'nestedExec'>);
      case 28 /* control */: return this.onControl(record as RecordOf<'control'>);
      case 19 /* vmLifecycle */: return this.onVmLifecycle(record as RecordOf<'vmLifecycle'>);
      case 27 /* virtIret */: return this.onVirtIret(record as RecordOf<'virtIret'>);
      case 29 /* blockedCallback */: return this.onBlockedCallback(record as RecordOf<'blockedCallback'>);
      default:
        // irqRaise: no rule reads it.
        return;
    }
  }

  /** The record right after one that ended a boosted VM's last simulated interrupt (virtBoostRule.ts). */
  private afterVirtIntEnded(record: HistoryRecord): void {
    this.virtBoostEnd.next(record, this.reportVmm);
  }

  // The kinds one rule reads: a method each, like the kinds several read, so that every case of
  // `read` is the same short call (see `read`).

  private onTrapReturn(r: RecordOf<'trapReturn'>): void {
    this.cpu.trapReturn(r, this.reportVmm);
  }

  private onServiceResult(r: RecordOf<'serviceResult'>): void {
    this.callNow.serviceResult(r, this.reportVmm);
  }

  private onVpicdProc(r: RecordOf<'vpicdProc'>): void {
    this.cpu.vpicdProc(r, this.reportVmm);
  }

  private onCalledNow(r: RecordOf<'calledNow'>): void {
    this.callNow.calledNow(r, this.reportVmm);
  }

  private onEoi(r: RecordOf<'eoi'>): void {
    this.interrupts.eoi(r);
  }

  private onIrqExit(r: RecordOf<'irqExit'>): void {
    this.cpu.irqExit(r, this.reportVmm);
  }

  private onVirtMask(r: RecordOf<'virtMask'>): void {
    this.virtualPic.virtMask(r);
  }

  private onVirtEoi(r: RecordOf<'virtEoi'>): void {
    this.virtualPic.virtEoi(r, this.reportVmm);
  }

  private onControl(r: RecordOf<'control'>): void {
    this.notExecutable.control(r, this.reportVmm);
    this.cpu.control(r, this.reportVmm);
  }

  private onVirtIret(r: RecordOf<'virtIret'>): void {
    this.virtBoostEnd.virtIret(r);
  }

  private onBlockedCallback(r: RecordOf<'blockedCallback'>): void {
    const report = this.reportVmm;
    switch (r.op) {
      case 'block':
        this.blockedCallbacks.block(r, report, this.warn);
        this.place.callbackBlocked();
        this.cpu.callbackBlocked(r, report);
        return;
      case 'restart':
        this.blockedCallbacks.restart(r, report);
        this.place.callbackRestart(r, report);
        this.cpu.callbackRestart();
        return;
      case 'drop':
        this.blockedCallbacks.drop(r, report);
        return;
    }
  }

  private onClientOp(r: RecordOf<'clientOp'>): void {
    // The op objects come in many shapes: read the op's name once for both readers.
    const op = r.op.op;
    this.virtualPic.clientOp(r, op, this.reportVmm);
    this.critical.clientOp(r, this.reportVmm);
    this.blockedCallbacks.clientOp(r, this.reportVmm);
    this.notExecutable.clientOp(r, this.reportVmm);
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
    this.blockedCallbacks.dispatch(r, report);
    this.cpu.dispatch();
  }

  private onReturn(r: RecordOf<'return'>): void {
    this.place.return();
    this.blockedCallbacks.return();
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
    this.notExecutable.taskSwitch(r, this.reportVmm);
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
    this.notExecutable.vmLifecycle(r, this.reportVmm);
    this.blockedCallbacks.vmLifecycle(r, this.reportVmm);
  }

  private add(violation: Violation): void {
    if (violation.severity === 'vmm') this.vmmBugs++;
    else this.deviceBugs++;
    if (this.violations.length < this.keepMax) this.violations.push(violation);
  }
}
