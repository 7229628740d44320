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
import type { RecordSink } from '../vmm/recordKinds.js';
import type { CoverageTracker } from './coverage.js';

export class ExecutionRecords {
  constructor(
    private readonly coverage: CoverageTracker | null,
    private readonly strategy: RecordObserver | null,
    private readonly extra: RecordSink | null,
  ) {}

  readonly read = (record: HistoryRecord, kind: number): void => {
    if (this.coverage !== null) this.coverage.onRecord(record, kind);
    if (this.strategy !== null) this.strategy.onRecord(record, kind);
    if (this.extra !== null) this.extra(record, kind);
  };
}

/**
 * For the explorer's runs that read no records (PCT's estimate run, shrinking's replays): they
 * pass the sink the same call target as the executions, for the reason above.
 */
export const READ_NOTHING = new ExecutionRecords(null, null, null).read;
