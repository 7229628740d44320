/**
 * The timeline as Chrome Trace Event Format (the JSON that ui.perfetto.dev and chrome://tracing
 * open). One process, the run; one thread per track: the VMM's queues, each VM, each IRQ line.
 *   - the current-VM segments (client code, ring 0) are complete events (ph X);
 *   - IRQ handlers, callbacks and processing passes are begin/end pairs (ph B/E), nested;
 *   - pending events by kind are a counter (ph C);
 *   - each event's life (scheduled → dispatched or cancelled → stale cancel) is a flow
 *     (ph s/t/f, bound to the enclosing slice);
 *   - violations, cancels and task switches are instants (ph i).
 * Timestamps are microseconds: virtual ticks for a simulated run, wall clock for a threaded one
 * (`ts` is always µs in this format; displayTimeUnit 'ms' only sets how the viewer labels them).
 *
 * A long run (a digest that is not complete, see digest.ts) is decimated: per-bin activity
 * counters of every track for the whole run, and full detail for the stored stretches only
 * (violations first, then the run's start and end, then the busiest), one stretch after another,
 * never two that overlap. `writeChromeTrace` writes it out event by event.
 */
import type { TimelineDigest } from './digest.js';
import type { Args, Flow, Instant, Span, Timeline, Track } from './model.js';

export interface ChromeEvent {
  name?: string;
  cat?: string;
  ph: 'B' | 'E' | 'X' | 'i' | 'C' | 's' | 't' | 'f' | 'M';
  ts?: number;
  dur?: number;
  pid: number;
  tid?: number;
  id?: number;
  bp?: 'e';
  s?: 't' | 'p' | 'g';
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: ChromeEvent[];
  displayTimeUnit: 'ms';
  otherData: Args;
}

const PID = 1;

export function tidOf(track: Pick<Track, 'kind' | 'n'>): number {
  return track.kind === 'vmm' ? 1000 : track.kind === 'vm' ? track.n : 100 + track.n;
}

/** One timeline, whole (a short run, or a cut). */
export function toChromeTrace(timeline: Timeline): ChromeTrace {
  return {
    traceEvents: [...metadataEvents(timeline.title, timeline.tracks), ...timelineEvents(timeline)],
    displayTimeUnit: 'ms',
    otherData: { title: timeline.title, runtime: timeline.runtime, clock: timeline.clock, ...timeline.meta },
  };
}

/** A digest, written out piece by piece: the same JSON document, never built whole in memory. */
export function writeChromeTrace(digest: TimelineDigest, write: (text: string) => void): void {
  const windows = digest.complete ? digest.windows : disjoint(digest.windows);
  const detail = digest.complete
    ? 'every record'
    : `decimated: activity counters per track over ${digest.overview.binStartUs.length} bins of the whole run; ` +
      `every record of ${windows.length} stretches (${windows.map((w) => `${w.firstSeq}-${w.lastSeq}`).join(', ')})`;
  const otherData = { title: digest.title, runtime: digest.runtime, clock: digest.clock, detail, ...digest.meta };
  write(`{"displayTimeUnit":"ms","otherData":${JSON.stringify(otherData)},"traceEvents":[\n`);
  let first = true;
  const emit = (events: readonly ChromeEvent[]): void => {
    if (events.length === 0) return;
    write(`${first ? '' : ',\n'}${events.map((e) => JSON.stringify(e)).join(',\n')}`);
    first = false;
  };
  emit(metadataEvents(digest.title, digest.overview.tracks));
  if (!digest.complete) emit(overviewCounters(digest));
  for (const w of windows) emit(timelineEvents(w));
  write('\n]}\n');
}

function metadataEvents(title: string, tracks: readonly Pick<Track, 'kind' | 'n' | 'name'>[]): ChromeEvent[] {
  return [
    { ph: 'M', pid: PID, name: 'process_name', args: { name: `vmmsim: ${title}` } },
    ...tracks.flatMap((t, index): ChromeEvent[] => [
      { ph: 'M', pid: PID, tid: tidOf(t), name: 'thread_name', args: { name: t.name } },
      { ph: 'M', pid: PID, tid: tidOf(t), name: 'thread_sort_index', args: { sort_index: index } },
    ]),
  ];
}

function timelineEvents(timeline: Timeline): ChromeEvent[] {
  const tids = new Map(timeline.tracks.map((t) => [t.id, tidOf(t)]));
  const tid = (track: string): number => tids.get(track) ?? 0;
  return [
    ...spanEvents(timeline.spans, tid),
    ...timeline.counters.map((c): ChromeEvent => ({
      ph: 'C', pid: PID, name: 'pending events', ts: c.ts, args: { global: c.global, vm: c.vm, priority: c.priority },
    })),
    ...timeline.flows.flatMap((f) => flowEvents(f, tid)),
    ...timeline.instants.flatMap((i) => instantEvents(i, tid)),
  ];
}

/** One counter per track: what its bins counted, at each bin's start. */
function overviewCounters(digest: TimelineDigest): ChromeEvent[] {
  const { overview } = digest;
  return overview.tracks.flatMap((t) => overview.binStartUs.map((ts, i): ChromeEvent => ({
    ph: 'C', pid: PID, name: `${t.name} activity`, ts,
    args: Object.fromEntries(Object.entries(t.counts).map(([metric, bins]) => [metric, bins[i]!])),
  })));
}

/** Stored stretches that overlap none kept before them, in order of importance, then by record. */
function disjoint(windows: readonly Timeline[]): Timeline[] {
  const rank = (w: Timeline): number => ['violation', 'start', 'end'].indexOf(String(w.meta.detail)) + 1 || 4;
  const kept: Timeline[] = [];
  for (const w of [...windows].sort((a, b) => rank(a) - rank(b) || a.firstSeq - b.firstSeq)) {
    if (kept.every((k) => w.lastSeq < k.firstSeq || w.firstSeq > k.lastSeq)) kept.push(w);
  }
  return kept.sort((a, b) => a.firstSeq - b.firstSeq);
}

/** Begin/end events in an order that nests: at one timestamp, ends (innermost first) before starts (outermost first). */
function spanEvents(spans: readonly Span[], tid: (track: string) => number): ChromeEvent[] {
  const marks: { ts: number; order: number; event: ChromeEvent }[] = [];
  for (const span of spans) {
    const base = { pid: PID, tid: tid(span.track), name: span.name, cat: span.cat };
    const args = { ...span.args, ...(span.clipped ? { clipped: true } : {}) };
    if (span.cat === 'client' || span.cat === 'ring0') {
      marks.push({ ts: span.t0, order: 100 + span.lane, event: { ...base, ph: 'X', ts: span.t0, dur: span.t1 - span.t0, args } });
      continue;
    }
    marks.push({ ts: span.t0, order: 100 + span.lane, event: { ...base, ph: 'B', ts: span.t0, args } });
    marks.push({ ts: span.t1, order: 100 - span.lane, event: { ...base, ph: 'E', ts: span.t1 } });
  }
  marks.sort((a, b) => a.ts - b.ts || a.order - b.order);
  return marks.map((m) => m.event);
}

/** A flow needs two points; every point binds to the slice around it on its track. */
function flowEvents(flow: Flow, tid: (track: string) => number): ChromeEvent[] {
  if (flow.points.length < 2) return [];
  const last = flow.points.length - 1;
  return flow.points.map((p, index): ChromeEvent => ({
    ph: index === 0 ? 's' : index === last ? 'f' : 't',
    id: flow.id,
    name: `${flow.kind} event ${flow.callback}`,
    cat: flow.bad ? 'event,violation' : 'event',
    pid: PID,
    tid: tid(p.track),
    ts: p.ts,
    bp: 'e',
    args: { step: p.step, ...p.args },
  }));
}

function instantEvents(instant: Instant, tid: (track: string) => number): ChromeEvent[] {
  const name = instant.cat === 'violation' ? `violation: ${instant.name}` : instant.name;
  const event: ChromeEvent = { ph: 'i', s: 't', pid: PID, tid: tid(instant.track), ts: instant.ts, name, cat: instant.cat, args: instant.args };
  // A violation is also a global instant: a line across every track in chrome://tracing.
  return instant.cat === 'violation' ? [event, { ...event, s: 'g' }] : [event];
}
