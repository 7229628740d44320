/**
 * Where the run loop sends an execution's records for the explorer: the coverage tracker, the
 * strategy when it watches the run (PCT and POS track which sources are in service), and a
 * caller's reader (the guided strategy's features), each given the record's kind number.
 *
 * One class, whose `read` every execution of a process passes as the run's `onRecord`: the
 * record makers of the core inline the sink and, through it, this one call target. A closure
 * made per execution for each combination of readers was a new target whenever the combination
 * changed (the campaign's estimate run, then its executions), and each change deoptimized every
 * record maker of the core that had inlined the old one: measured, a visible part of the cost of
 * a campaign's first few thousand executions.
 */
import type { HistoryRecord } from '../vmm/history.js';
import type { RecordObserver } from '../actors/sim/strategies/inService.js';
import { KIND_NAMES, type RecordSink } from '../vmm/recordKinds.js';
import { COVERAGE_KINDS, type CoverageTracker } from './coverage.js';

/** Every kind's bit: the kind numbers must fit one 32-bit mask. */
const EVERY_KIND = -1;
if (KIND_NAMES.length > 31) throw new Error('record kinds no longer fit the 32-bit masks of explore/executionRecords.ts');

export class ExecutionRecords {
  /** Bit k: the reader is called for records of kind number k (its declared kinds; a call for the others would return at once). */
  private coverageKinds = 0;
  private strategyKinds = 0;
  private coverage: CoverageTracker | null = null;
  private strategy: RecordObserver | null = null;
  private extra: RecordSink | null = null;

  constructor(coverage: CoverageTracker | null, strategy: RecordObserver | null, extra: RecordSink | null) {
    this.use(coverage, strategy, extra);
  }

  /** The readers of the next run (a machine kit keeps one of these for all its runs: one `read` target). */
  use(coverage: CoverageTracker | null, strategy: RecordObserver | null, extra: RecordSink | null): void {
    this.coverage = coverage;
    this.strategy = strategy;
    this.extra = extra;
    this.coverageKinds = coverage === null ? 0 : COVERAGE_KINDS;
    this.strategyKinds = strategy === null ? 0 : strategy.recordKinds ?? EVERY_KIND;
  }

  readonly read = (record: HistoryRecord, kind: number): void => {
    const bit = 1 << kind;
    if ((this.coverageKinds & bit) !== 0) this.coverage!.onRecord(record, kind);
    if ((this.strategyKinds & bit) !== 0) this.strategy!.onRecord(record, kind);
    if (this.extra !== null) this.extra(record, kind);
  };
}

/**
 * For the explorer's runs that read no records (PCT's estimate run, shrinking's replays): they
 * pass the sink the same call target as the executions, for the reason above.
 */
export const READ_NOTHING = new ExecutionRecords(null, null, null).read;
