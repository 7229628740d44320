/**
 * The timeline model: what a run looks like on a time line, independent of how it is shown.
 * Built from the history records (timeline.ts), turned into Chrome Trace Event Format
 * (chrome.ts) or an HTML page (html.ts). Every position carries both the record sequence
 * number (the order in which things happened, what a race is read in) and a timestamp in
 * microseconds (virtual ticks for a simulated run, wall-clock for a threaded one).
 */

/** Values shown in a details panel: already formatted (registers and handles in hex). */
export type Args = Record<string, string | number | boolean>;

export type TrackKind = 'vmm' | 'vm' | 'irq';

export interface Track {
  /** Stable key: `vmm`, `vm:1`, `irq:3`. */
  id: string;
  kind: TrackKind;
  name: string;
  /** The VM id or the IRQ line; 0 for the VMM track. */
  n: number;
  /** Rows of nested spans (filled in once the spans are known). */
  lanes: number;
}

/**
 * What a span shows. `client`/`ring0` are the current-VM segments; `irq`/`irqNested` hardware
 * interrupt handlers (nested: the IRQ interrupted ring-0 code, re-enter count > 0); `callback`
 * an event callback (dispatch to return); `processing` an event-processing pass.
 */
export type SpanCat = 'client' | 'ring0' | 'irq' | 'irqNested' | 'callback' | 'processing';

/** A stretch of time on one track. `s`/`e` are record seqs, `t0`/`t1` microseconds; end exclusive. */
export interface Span {
  track: string;
  lane: number;
  cat: SpanCat;
  name: string;
  s: number;
  e: number;
  t0: number;
  t1: number;
  /** The flow (event lifecycle) this span belongs to, for a callback. */
  flow?: number;
  /** The span was cut short to keep spans on its track nested (or by the window). */
  clipped?: boolean;
  args: Args;
}

export type FlowStep = 'scheduled' | 'dispatched' | 'cancelled' | 'staleCancel' | 'discarded' | 'wrongService';

export interface FlowPoint {
  step: FlowStep;
  track: string;
  /** The row of the innermost span around it on its track. */
  lane: number;
  seq: number;
  ts: number;
  args: Args;
}

/** One scheduled event's life: schedule, then dispatch or cancel, then any stale cancel of its handle. */
export interface Flow {
  /** Unique even though handles are reused: the seq of the `scheduled` record. */
  id: number;
  handle: number;
  callback: string;
  kind: string;
  points: FlowPoint[];
  /** A violation names this event's handle. */
  bad: boolean;
}

export type InstantCat = 'violation' | 'cancel' | 'taskSwitch' | 'calledNow';

export interface Instant {
  cat: InstantCat;
  track: string;
  lane: number;
  seq: number;
  ts: number;
  name: string;
  /** For a violation: the event (flow) its handle names, if known. */
  flow?: number;
  severity?: 'device' | 'vmm';
  args: Args;
}

/** Pending (scheduled, not yet dispatched or cancelled) events by kind, after record `seq`. */
export interface CounterSample {
  seq: number;
  ts: number;
  global: number;
  vm: number;
  priority: number;
}

export type ClockKind = 'virtualTicks' | 'wallClockUs';

export interface Timeline {
  title: string;
  runtime: 'sim' | 'threads';
  clock: ClockKind;
  /** Records shown: [firstSeq, lastSeq]. */
  firstSeq: number;
  lastSeq: number;
  /** Seq of the first violation among the records shown, or null. */
  firstViolationSeq: number | null;
  tracks: Track[];
  spans: Span[];
  flows: Flow[];
  instants: Instant[];
  counters: CounterSample[];
  /** Facts about the run for the header (scenario, seed, records). */
  meta: Args;
}
