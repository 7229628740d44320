/**
 * The checker's rules, and which of them read each record kind (checker.ts says why each kind
 * has a method of its own): the rules in one fixed order, the CPU tracker moving on last. The
 * checker (checker.ts) switches on a record's kind to these methods and keeps the verdicts.
 */
import type { HistoryRecord, RecordOf } from '../history.js';
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
import { TrapRestartRule } from './trapRestartRule.js';
import { VmInitRule } from './vmInitRule.js';
import { SnapshotRule } from './snapshotRule.js';
import type { Report, Violation, Warn, Warning } from './report.js';

export abstract class KindReaders {
  protected readonly cpu = new CpuTracker();
  protected readonly events = new LiveEventTable();
  protected readonly lifecycle = new EventLifecycleRule(this.events);
  protected readonly callNow = new CallNowRule(this.cpu);
  protected readonly place = new DispatchPlaceRule(this.cpu, this.events);
  protected readonly boosts = new BoostBalanceRule(this.cpu, this.events);
  protected readonly interrupts = new InterruptRule(this.cpu);
  protected readonly virtualPic = new VirtualPicRule(this.cpu);
  protected readonly critical = new CriticalSectionRule(this.cpu);
  protected readonly priorityOrder = new PriorityOrderRule(this.events);
  protected readonly virtBoostEnd = new VirtBoostEndRule();
  protected readonly notExecutable = new NotExecutableRule(this.cpu);
  protected readonly blockedCallbacks = new BlockedCallbackRule(this.cpu, this.critical);
  protected readonly vmInit = new VmInitRule(this.cpu);
  protected readonly trapRestart = new TrapRestartRule(this.cpu);
  protected readonly snapshots = new SnapshotRule(this.cpu, this.virtualPic, this.critical);
  protected readonly reportVmm: Report = (v) => this.add({ ...v, severity: 'vmm' });
  protected readonly warn: Warn = (w) => this.keepWarning(w);

  /** A violation found (a rule's, or one the model reported). */
  protected abstract add(violation: Violation): void;
  /** A warning found. */
  protected abstract keepWarning(warning: Warning): void;

  /** The end of the run: what only the whole run shows. */
  protected finishRules(): void {
    this.boosts.finish(this.reportVmm);
  }

  /** Every rule as new (the live-event entries and the rules' arrays kept for reuse). */
  protected resetRules(): void {
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
    this.vmInit.reset();
    this.trapRestart.reset();
  }

  /** The record right after one that ended a boosted VM's last simulated interrupt (virtBoostRule.ts). */
  protected afterVirtIntEnded(record: HistoryRecord): void {
    this.virtBoostEnd.next(record, this.reportVmm);
  }

  // The kinds one rule reads: a method each, like the kinds several read, so that every case of
  // `read` is the same short call (see `read`).

  protected onService(r: RecordOf<'service'>): void {
    this.callNow.service(r);
    this.trapRestart.service(r);
  }

  protected onTrapReturn(r: RecordOf<'trapReturn'>): void {
    this.trapRestart.trapReturn();
    this.cpu.trapReturn(r, this.reportVmm);
  }

  protected onServiceResult(r: RecordOf<'serviceResult'>): void {
    this.callNow.serviceResult(r, this.reportVmm);
  }

  protected onVpicdProc(r: RecordOf<'vpicdProc'>): void {
    this.cpu.vpicdProc(r, this.reportVmm);
  }

  protected onCalledNow(r: RecordOf<'calledNow'>): void {
    this.callNow.calledNow(r, this.reportVmm);
  }

  protected onEoi(r: RecordOf<'eoi'>): void {
    this.interrupts.eoi(r);
  }

  protected onPhysMask(r: RecordOf<'physMask'>): void {
    this.interrupts.physMask(r);
  }

  protected onIrqExit(r: RecordOf<'irqExit'>): void {
    this.cpu.irqExit(r, this.reportVmm);
  }

  protected onVirtMask(r: RecordOf<'virtMask'>): void {
    this.virtualPic.virtMask(r);
    this.virtBoostEnd.virtMask(r);
  }

  protected onVirtEoi(r: RecordOf<'virtEoi'>): void {
    this.virtualPic.virtEoi(r, this.reportVmm);
  }

  protected onControl(r: RecordOf<'control'>): void {
    this.notExecutable.control(r, this.reportVmm);
    this.cpu.control(r, this.reportVmm);
    this.vmInit.control(r);
  }

  protected onVirtIret(r: RecordOf<'virtIret'>): void {
    this.virtBoostEnd.virtIret(r);
  }

  protected onBlockedCallback(r: RecordOf<'blockedCallback'>): void {
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

  protected onClientOp(r: RecordOf<'clientOp'>): void {
    // The op objects come in many shapes: read the op's name once for both readers.
    const op = r.op.op;
    this.place.clientOp(r, this.reportVmm);
    this.virtualPic.clientOp(r, op, this.reportVmm);
    this.critical.clientOp(r, this.reportVmm);
    this.blockedCallbacks.clientOp(r, this.reportVmm);
    this.notExecutable.clientOp(r, this.reportVmm);
    if (op === 'trap') this.trapRestart.trap();
    this.cpu.clientOp(r, op, this.reportVmm);
  }

  protected onCancel(r: RecordOf<'cancel'>): void {
    this.lifecycle.cancel(r, this.reportVmm);
    this.place.cancel(r);
    this.boosts.cancel(r);
    this.priorityOrder.cancel(r);
  }

  protected onBoost(r: RecordOf<'boost'>): void {
    this.boosts.boost(r, this.reportVmm);
    this.critical.boost(r, this.reportVmm);
    this.virtBoostEnd.boost(r);
  }

  protected onDispatch(r: RecordOf<'dispatch'>): void {
    const report = this.reportVmm;
    this.lifecycle.dispatch(r, report);
    this.callNow.dispatch(r, report);
    this.place.dispatch(r, report);
    this.boosts.dispatch(r);
    this.interrupts.dispatch(r, report);
    this.priorityOrder.dispatch(r, report);
    this.blockedCallbacks.dispatch(r, report);
    this.snapshots.dispatch(r, report);
    this.cpu.dispatch();
  }

  protected onReturn(r: RecordOf<'return'>): void {
    this.place.return();
    this.blockedCallbacks.return();
    this.cpu.return(r, this.reportVmm);
  }

  protected onScheduled(r: RecordOf<'scheduled'>): void {
    const report = this.reportVmm;
    this.lifecycle.scheduled(r, report);
    this.callNow.scheduled(r, report);
    this.place.scheduled(r);
    this.priorityOrder.scheduled(r, report);
    this.snapshots.scheduled(r, report);
  }

  protected onProcessBegin(r: RecordOf<'processBegin'>): void {
    this.place.processBegin();
    this.interrupts.processBegin(r, this.reportVmm);
    this.cpu.processBegin();
  }

  protected onProcessEnd(r: RecordOf<'processEnd'>): void {
    this.place.processEnd(r);
    this.boosts.processEnd(r, this.reportVmm);
    this.cpu.processEnd(r, this.reportVmm);
  }

  protected onVirtRequest(r: RecordOf<'virtRequest'>): void {
    this.boosts.virtRequest(r);
    this.virtualPic.virtRequest(r);
    this.virtBoostEnd.virtRequest(r);
  }

  protected onCritical(r: RecordOf<'critical'>): void {
    this.virtualPic.critical(r);
    this.critical.critical(r, this.reportVmm, this.warn);
    this.trapRestart.critical(r, this.blockedCallbacks.callbackRunning, this.warn);
  }

  protected onIrqEnter(r: RecordOf<'irqEnter'>): void {
    this.interrupts.irqEnter(r, this.reportVmm);
    this.cpu.irqEnter(r, this.reportVmm);
  }

  protected onTaskSwitch(r: RecordOf<'taskSwitch'>): void {
    this.place.taskSwitch(r, this.reportVmm, this.blockedCallbacks.holds(r.from));
    this.interrupts.taskSwitch(r, this.reportVmm);
    this.notExecutable.taskSwitch(r, this.reportVmm);
    this.cpu.taskSwitch(r, this.reportVmm);
  }

  protected onVirtInt(r: RecordOf<'virtInt'>): void {
    this.boosts.virtInt(r, this.reportVmm);
    this.virtualPic.virtInt(r, this.reportVmm);
    this.virtBoostEnd.virtInt(r);
  }

  protected onDiscarded(r: RecordOf<'discarded'>): void {
    const report = this.reportVmm;
    this.lifecycle.discarded(r, report);
    this.place.discarded(r);
    this.boosts.discarded(r);
    this.priorityOrder.discarded(r);
  }

  protected onViolation(r: RecordOf<'violation'>): void {
    this.add({ kind: r.kind, severity: r.severity, message: r.message, seq: r.seq, ticks: r.ticks, device: r.device, handle: r.handle });
    // Rules see it too: a Call_* the VMM refused (reserved flags, bad VM handle) returns 0.
    this.callNow.violation(r);
  }

  protected onNestedExec(r: RecordOf<'nestedExec'>): void {
    this.vmInit.nestedExec(r, this.warn);
    this.interrupts.nestedExec(r, this.reportVmm);
    this.cpu.nestedExec(r, this.reportVmm);
  }

  protected onVmLifecycle(r: RecordOf<'vmLifecycle'>): void {
    this.virtualPic.vmLifecycle(r);
    this.virtBoostEnd.vmLifecycle(r);
    this.critical.vmLifecycle(r);
    this.notExecutable.vmLifecycle(r, this.reportVmm);
    this.blockedCallbacks.vmLifecycle(r, this.reportVmm);
  }
}
