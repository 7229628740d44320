/**
 * Making history records: one function per kind, in three files by what the records are about
 * (eventRecords.ts, interruptRecords.ts, machineRecords.ts), all of them exported from here. Each writes its record whole, where the CPU is
 * (seq, ticks, vm, ctx, reenter) included, into an object of its kind's one fixed shape (fast
 * for every consumer to read). Field order is the kind's own fields, then where the CPU is.
 *
 * Each also feeds the record's words to the trace hash right here, where its kind and fields are
 * at hand (no record read back, no dispatch on its kind): `begin` (recordMaking.ts) writes the three words every
 * record starts with, the function the kind's own (as test/support/traceOracle.ts defines them
 * from a finished record, which the tests hold it to), `trace.feed` takes them (the hash digests the ring of words in bulk); the run's
 * counters are counted here too (`trace.counter`, the same as `Counter.count` of the record).
 * The record itself is written into the object the machine's RecordRing hands out for its kind
 * (no object made per record: recordRing.ts says why and for how long it stays whole), every
 * field of its kind's shape written, then it goes to the sink, once, with its kind's number.
 * Each maker writes its fields itself, not through a shared helper: a store site that saw the
 * ~30 kinds' shapes would be megamorphic, one per maker sees one shape.
 */
// The services and the processing code call the makers as `rec.kind(...)` from this one module.
export type { NamedDevice, RecordingMachine } from './recordMaking.js';
export * from './eventRecords.js';
export * from './interruptRecords.js';
export * from './machineRecords.js';
