/**
 * The invariant checker (SPEC §7), apart from the model it checks: it reads only the history
 * stream, keeps only what is live (pending events, boosts), and re-derives each rule from the
 * records rather than trusting the model's own decisions. Device bugs the model reported are
 * collected too, so one object answers "what went wrong in this run".
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import { EventLifecycleRule } from './lifecycleRule.js';
import { CallNowRule } from './callNowRule.js';
import { DispatchPlaceRule } from './dispatchPlaceRule.js';
import { BoostBalanceRule } from './boostRule.js';

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

export class InvariantChecker {
  readonly violations: Violation[] = [];
  private readonly rules: Rule[] = [new EventLifecycleRule(), new CallNowRule(), new DispatchPlaceRule(), new BoostBalanceRule()];
  /** Record kind → the rules that read it, in rule order (most records concern one rule or none). */
  private readonly rulesByKind = new Map<HistoryKind, Rule[]>();
  private readonly reportVmm = (v: Omit<Violation, 'severity'>): void => this.add({ ...v, severity: 'vmm' });

  /** At most this many violations are kept (a runaway bug must not exhaust memory). */
  constructor(readonly keepMax = 1000) {
    for (const rule of this.rules) {
      for (const kind of rule.kinds) {
        const list = this.rulesByKind.get(kind) ?? [];
        list.push(rule);
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
    if (rules === undefined) return;
    for (let i = 0; i < rules.length; i++) rules[i]!.onRecord(record, this.reportVmm);
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
