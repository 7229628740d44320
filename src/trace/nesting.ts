/**
 * Spans on one track must nest (a child inside its parent): Chrome's begin/end events demand
 * it, and the HTML view draws each nesting depth as a row. The CPU's frames nest by nature; a
 * span that does not (a frame open across a task switch) is clipped to its parent. Then every
 * span's lane is its depth, and a point (a flow step, an instant) sits on the lane of the
 * innermost span around it.
 */
import type { Span, SpanCat } from './model.js';

const CAT_DEPTH: Record<SpanCat, number> = { client: 0, ring0: 0, processing: 0, irq: 1, irqNested: 1, callback: 2 };

/** Clips and assigns lanes in place; returns lanes used per track. */
export function nestSpans(spans: Span[]): Map<string, number> {
  const lanes = new Map<string, number>();
  for (const [track, onTrack] of byTrack(spans)) {
    // Parents first: earlier start, for equal starts the longer one, then the outer kind.
    onTrack.sort((a, b) => a.s - b.s || b.e - a.e || CAT_DEPTH[a.cat] - CAT_DEPTH[b.cat]);
    const stack: Span[] = [];
    let deepest = 0;
    for (const span of onTrack) {
      while (stack.length > 0 && stack[stack.length - 1]!.e <= span.s) stack.pop();
      const parent = stack[stack.length - 1];
      if (parent !== undefined && span.e > parent.e) {
        span.e = parent.e;
        span.t1 = parent.t1;
        span.clipped = true;
      }
      span.lane = stack.length;
      deepest = Math.max(deepest, span.lane + 1);
      stack.push(span);
    }
    lanes.set(track, deepest);
  }
  return lanes;
}

/** Sets `lane` of each point to the lane of the innermost span containing its seq on its track. */
export function placePoints(spans: readonly Span[], points: { track: string; seq: number; lane: number }[]): void {
  const onTracks = byTrack(spans);
  const pointsByTrack = new Map<string, { track: string; seq: number; lane: number }[]>();
  for (const p of points) {
    const list = pointsByTrack.get(p.track) ?? [];
    list.push(p);
    pointsByTrack.set(p.track, list);
  }
  for (const [track, list] of pointsByTrack) {
    const onTrack = (onTracks.get(track) ?? []).slice().sort((a, b) => a.s - b.s || a.lane - b.lane);
    list.sort((a, b) => a.seq - b.seq);
    const stack: Span[] = [];
    let next = 0;
    for (const p of list) {
      while (next < onTrack.length && onTrack[next]!.s <= p.seq) {
        const span = onTrack[next++]!;
        while (stack.length > 0 && stack[stack.length - 1]!.lane >= span.lane) stack.pop();
        stack.push(span);
      }
      while (stack.length > 0 && stack[stack.length - 1]!.e <= p.seq) stack.pop();
      p.lane = stack[stack.length - 1]?.lane ?? 0;
    }
  }
}

function byTrack(spans: readonly Span[]): Map<string, Span[]> {
  const out = new Map<string, Span[]>();
  for (const span of spans) {
    const list = out.get(span.track) ?? [];
    list.push(span);
    out.set(span.track, list);
  }
  return out;
}
