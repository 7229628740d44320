/**
 * Cutting a timeline to a range of records. Long runs make huge timelines; what a user needs is
 * usually the stretch before the first violation. The timeline is built from the whole run
 * first (so a span or an event that began before the cut, and the pending-event counts, are
 * right) and then clipped.
 */
import type { Timeline } from './model.js';

export interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

/** `before` records up to the first violation (the end of the run without one) and a quarter as many after it. */
export function aroundFirstViolation(firstSeq: number, lastSeq: number, violationSeq: number | null, before: number): SeqRange {
  const center = violationSeq ?? lastSeq;
  return { fromSeq: Math.max(firstSeq, center - before), toSeq: Math.min(lastSeq, center + Math.ceil(before / 4)) };
}

/** Keeps records fromSeq..toSeq (inclusive); `tsOf` gives a record's timestamp by seq. */
export function cutTimeline(timeline: Timeline, range: SeqRange, tsOf: (seq: number) => number): Timeline {
  const from = Math.max(range.fromSeq, timeline.firstSeq);
  const to = Math.min(range.toSeq, timeline.lastSeq);
  const inside = (seq: number): boolean => seq >= from && seq <= to;
  const endTs = to + 1 <= timeline.lastSeq ? tsOf(to + 1) : tsOf(to) + 1;
  const spans = timeline.spans
    .filter((s) => s.s <= to && s.e > from)
    .map((s) => {
      const cutStart = s.s < from;
      const cutEnd = s.e > to + 1;
      if (!cutStart && !cutEnd) return s;
      return {
        ...s,
        s: cutStart ? from : s.s, t0: cutStart ? tsOf(from) : s.t0,
        e: cutEnd ? to + 1 : s.e, t1: cutEnd ? endTs : s.t1,
        clipped: true,
      };
    });
  const flows = timeline.flows
    .map((f) => ({ ...f, points: f.points.filter((p) => inside(p.seq)) }))
    .filter((f) => f.points.length > 0);
  const before = timeline.counters.filter((c) => c.seq < from).at(-1);
  const within = timeline.counters.filter((c) => inside(c.seq));
  const counters = before !== undefined && within[0]?.seq !== from ? [{ ...before, seq: from, ts: tsOf(from) }, ...within] : within;
  const instants = timeline.instants.filter((i) => inside(i.seq));
  return {
    ...timeline,
    firstSeq: from,
    lastSeq: to,
    firstViolationSeq: instants.find((i) => i.cat === 'violation')?.seq ?? null,
    spans, flows, instants, counters,
    meta: { ...timeline.meta, window: `records ${from} to ${to} of ${timeline.firstSeq} to ${timeline.lastSeq}` },
  };
}
