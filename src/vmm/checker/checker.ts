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
import { KindReaders } from './kindReaders.js';
import type { Violation, Warning } from './report.js';

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
  'virtEoi', 'virtIret', 'control', 'blockedCallback', 'physMask',
] as const;
// Kinds added after these reach `default` (no rule reads them), as irqRaise does.
if (READ_ORDER.some((name, i) => KIND[name] !== i || KIND_NAMES[i] !== name)) {
  throw new Error('recordKinds.ts numbers the record kinds differently from the checker\'s switch (checker.ts READ_ORDER)');
}

export class InvariantChecker extends KindReaders {
  /** A new array after `reset`: one handed out before keeps its violations. */
  violations: Violation[] = [];
  /** Neither device nor VMM bugs (report.ts): a new array after `reset`, as `violations`. */
  warnings: Warning[] = [];
  deviceBugs = 0;
  vmmBugs = 0;

  /** At most this many violations are kept (a runaway bug must not exhaust memory). */
  constructor(readonly keepMax = 1000) {
    super();
  }

  /** A record without its kind number (records made elsewhere); an own function, to hand on as a sink. */
  readonly onRecord = (record: HistoryRecord): void => this.read(record, kindOf(record));

  finish(): void {
    this.finishRules();
  }

  /** The run ends at `ticks`, before its shutdown: the judgements of what it leaves behind (warnings). */
  runEnds(ticks: number): void {
    this.critical.runEnds(ticks, this.warn);
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
    this.resetRules();
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
   * case is that same short call, so that `read`
   * stays under the compiler's size limit for inlining a function (460 bytes of bytecode; it is
   * ~400): then the record sink that calls it inlines it, and a record costs no call to reach
   * the switch (measured: a fifth of the checker's time on the explorer's races).
   */
  read(record: HistoryRecord, kind: number): void {
    if (this.virtBoostEnd.owed !== 0) this.afterVirtIntEnded(record);
    switch (kind) {
      case 0 /* clientOp */: return this.onClientOp(record as RecordOf<'clientOp'>);
      case 1 /* service */: return this.onService(record as RecordOf<'service'>);
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
      case 30 /* physMask */: return this.onPhysMask(record as RecordOf<'physMask'>);
      default:
        // irqRaise: no rule reads it.
        return;
    }
  }

  protected add(violation: Violation): void {
    if (violation.severity === 'vmm') this.vmmBugs++;
    else this.deviceBugs++;
    if (this.violations.length < this.keepMax) this.violations.push(violation);
  }

  protected keepWarning(warning: Warning): void {
    if (this.warnings.length < this.keepMax) this.warnings.push(warning);
  }
}
