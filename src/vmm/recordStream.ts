/**
 * The one object the core hands every record to (`read`, with the record's kind number): the
 * checker first, then the full history, then one more reader (an observer, the explorer's
 * sink, a test's function), each when present. One class for every run of a process, built
 * with all its fields in one order, so each record maker's call `m.sink.read(...)` meets one
 * receiver shape and one call target whatever run it is in: V8 inlines it for good. A new
 * closure per run (what this replaced) was a new call target in every run, and each record
 * maker's optimized code was thrown away the first time it met the next run's closure.
 */
import type { InvariantChecker } from './checker/checker.js';
import type { HistoryRecord } from './history.js';
import type { RecordSink } from './recordKinds.js';
import { copyRecord } from './recordRing.js';

export class RecordStream {
  constructor(
    /** Reads every record first (the run loop's); null when another reader does (the explorer's sink). */
    readonly checker: InvariantChecker | null,
    /** Every record, copied (the record is the core's, valid during the call: recordRing.ts); null when not kept. */
    readonly all: HistoryRecord[] | null,
    /** Sees every record last, in place. */
    readonly extra: RecordSink | null,
  ) {}

  /** A stream that hands every record to one function (a caller that builds the machine itself). */
  static of(sink: RecordSink | RecordStream): RecordStream {
    return sink instanceof RecordStream ? sink : new RecordStream(null, null, sink);
  }

  read(record: HistoryRecord, kind: number): void {
    const { checker, all, extra } = this;
    if (checker !== null) checker.read(record, kind);
    if (all !== null) all.push(copyRecord(record));
    if (extra !== null) extra(record, kind);
  }
}
