/**
 * The invariant checker (SPEC §7), apart from the model it checks: it reads only the history
 * stream, keeps only what is live (pending events, boosts, open frames, virtual PIC state), and
 * re-derives each rule from the records rather than trusting the model's own decisions. Where
 * the CPU is (in a Hw_Int_Proc? the re-enter count? the current VM?) comes from the frame
 * records (CpuTracker), never from the context stamps the model writes on each record. Device
 * bugs the model reported are collected too, so one object answers "what went wrong in this run".
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import { EventLifecycleRule } from './lifecycleRule.js';
import { CallNowRule } from './callNowRule.js';
import { DispatchPlaceRule } from './dispatchPlaceRule.js';
import { BoostBalanceRule } from './boostRule.js';
import { CpuTracker } from './cpuTracker.js';
import { CriticalSectionRule } from './criticalRule.js';
import { InterruptRule } from './interruptRule.js';
import { PriorityOrderRule } from './priorityOrderRule.js';
import { VirtualPicRule } from './virtualPicRule.js';

export interface Violation {
  kind: string;
  severity: 'device' | 'vmm';
  message: string;
  seq: number;
  ticks: number;
  device?: string;
  handle?: number;
}

export interface Rule {
  /** The record kinds the rule reads: it is called for those only. */
  readonly kinds: readonly HistoryKind[];
  onRecord(record: HistoryRecord, report: (violation: Omit<Violation, 'severity'>) => void): void;
  finish?(report: (violation: Omit<Violation, 'severity'>) => void): void;
}

type RecordHandler = (record: HistoryRecord) => void;

export class InvariantChecker {
  readonly violations: Violation[] = [];
  private readonly cpu = new CpuTracker();
  private readonly rules: Rule[] = [
    new EventLifecycleRule(), new CallNowRule(this.cpu), new DispatchPlaceRule(this.cpu), new BoostBalanceRule(this.cpu),
    new InterruptRule(this.cpu), new VirtualPicRule(this.cpu), new CriticalSectionRule(this.cpu), new PriorityOrderRule(),
  ];
  /**
   * Record kind → the rules that read it, in rule order (most records concern one rule or none),
   * each bound to its report once: one call through a closure per rule, not a method looked up
   * on eight rule classes at every record.
   */
  private readonly rulesByKind = new Map<HistoryKind, RecordHandler[]>();
  private readonly reportVmm = (v: Omit<Violation, 'severity'>): void => this.add({ ...v, severity: 'vmm' });

  /** At most this many violations are kept (a runaway bug must not exhaust memory). */
  constructor(readonly keepMax = 1000) {
    for (const rule of this.rules) {
      const handler: RecordHandler = (record) => rule.onRecord(record, this.reportVmm);
      for (const kind of rule.kinds) {
        const list = this.rulesByKind.get(kind) ?? [];
        list.push(handler);
        this.rulesByKind.set(kind, list);
      }
    }
  }

  deviceBugs = 0;
  vmmBugs = 0;

  readonly onRecord = (record: HistoryRecord): void => {
    if (record.k === 'violation') {
      this.add({
        kind: record.kind, severity: record.severity, message: record.message, seq: record.seq,
        ticks: record.ticks, device: record.device, handle: record.handle,
      });
      // Rules see it too: a Call_* the VMM refused (reserved flags, bad VM handle) returns 0.
    }
    const rules = this.rulesByKind.get(record.k);
    if (rules !== undefined) for (let i = 0; i < rules.length; i++) rules[i]!(record);
    // The rules saw the CPU as it was when the record was made; now the record moves it on.
    this.cpu.update(record, this.reportVmm);
  };

  finish(): void {
    for (const rule of this.rules) rule.finish?.(this.reportVmm);
  }

  get invariantsOk(): boolean {
    return this.vmmBugs === 0;
  }

  private add(violation: Violation): void {
    if (violation.severity === 'vmm') this.vmmBugs++;
    else this.deviceBugs++;
    if (this.violations.length < this.keepMax) this.violations.push(violation);
  }
}
