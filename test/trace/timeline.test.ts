import { describe, expect, it } from 'vitest';
import { recordTimesUs } from '../../src/trace/clock.js';
import type { Span, Timeline } from '../../src/trace/model.js';
import { buildTimeline } from '../../src/trace/timeline.js';
import { entryName, leakyRun, staleCancelRun } from './fixtures/leakyRun.js';

const run = staleCancelRun();
const timeline = buildTimeline({ records: run.records, runtime: 'sim', title: 'leaky', entryName });
const violationSeq = run.result.firstViolation!.seq;

function nestedPerTrack(spans: readonly Span[]): string[] {
  const problems: string[] = [];
  const tracks = new Set(spans.map((s) => s.track));
  for (const track of tracks) {
    const on = spans.filter((s) => s.track === track);
    for (const span of on) {
      if (span.e <= span.s || span.t1 <= span.t0) problems.push(`${track}: ${span.name} at ${span.s} is empty or reversed`);
      if (span.lane === 0) continue;
      const parent = on.find((p) => p.lane === span.lane - 1 && p.s <= span.s && span.e <= p.e);
      if (parent === undefined) problems.push(`${track}: ${span.name} at ${span.s} (lane ${span.lane}) has no parent`);
    }
  }
  return problems;
}

describe('the timeline of a run with a stale cancel', () => {
  it('has the VMM track, one track per VM and one per IRQ line taken', () => {
    const ids = timeline.tracks.map((t) => t.id);
    expect(ids[0]).toBe('vmm');
    expect(ids.filter((id) => id.startsWith('vm:'))).toEqual(['vm:1', 'vm:2', 'vm:3']);
    const irqs = new Set(run.records.flatMap((r) => (r.k === 'irqEnter' ? [`irq:${r.irq}`] : [])));
    expect(ids.filter((id) => id.startsWith('irq:')).sort()).toEqual([...irqs].sort());
  });

  it('nests the spans of every track and tiles each VM track with client and ring-0 segments', () => {
    expect(nestedPerTrack(timeline.spans)).toEqual([]);
    const segments = timeline.spans.filter((s) => s.lane === 0 && (s.cat === 'client' || s.cat === 'ring0')).sort((a, b) => a.s - b.s);
    // Every record belongs to exactly one segment: the segments cover the run without gaps or overlaps.
    expect(segments[0]!.s).toBe(0);
    for (let i = 1; i < segments.length; i++) expect(segments[i]!.s).toBe(segments[i - 1]!.e);
    expect(segments.at(-1)!.e).toBe(run.records.length);
  });

  it('shows each IRQ handler run on its line, marked nested when it interrupted ring 0', () => {
    const enters = run.records.filter((r) => r.k === 'irqEnter');
    const handlers = timeline.spans.filter((s) => s.track.startsWith('irq:'));
    expect(handlers).toHaveLength(enters.length);
    const nested = enters.filter((r) => r.k === 'irqEnter' && r.nested).length;
    expect(nested).toBeGreaterThan(0);
    expect(handlers.filter((s) => s.cat === 'irqNested')).toHaveLength(nested);
  });

  it('makes one flow per scheduled event, keyed uniquely although pooled handles are reused', () => {
    const pooled = leakyRun(run.seed, 'pooled');
    const flows = buildTimeline({ records: pooled.records, runtime: 'sim', title: 'pooled' }).flows;
    const scheduled = pooled.records.filter((r) => r.k === 'scheduled');
    expect(flows).toHaveLength(scheduled.length);
    expect(new Set(flows.map((f) => f.id)).size).toBe(scheduled.length);
    const handles = new Set(scheduled.map((r) => (r.k === 'scheduled' ? r.handle : 0)));
    expect(handles.size).toBeLessThan(scheduled.length);
    for (const flow of [...flows, ...timeline.flows]) {
      expect(flow.points[0]!.step).toBe('scheduled');
      expect(flow.points.filter((p) => p.step === 'dispatched' || p.step === 'cancelled').length).toBeLessThanOrEqual(1);
    }
  });

  it('follows the buggy event from schedule to dispatch to the stale cancel, and ties the violation to it', () => {
    const violation = timeline.instants.find((i) => i.cat === 'violation')!;
    expect(violation.seq).toBe(violationSeq);
    expect(timeline.firstViolationSeq).toBe(violationSeq);
    const flow = timeline.flows.find((f) => f.id === violation.flow)!;
    expect(flow.bad).toBe(true);
    expect(flow.callback).toBe('modem.rxDone');
    expect(flow.points.map((p) => p.step)).toEqual(['scheduled', 'dispatched', 'staleCancel']);
    // Scheduled inside the nested IRQ 3 handler; the callback span carries the flow.
    expect(flow.points[0]!.track).toBe('irq:3');
    const callback = timeline.spans.find((s) => s.cat === 'callback' && s.flow === flow.id)!;
    expect(callback.s).toBe(flow.points[1]!.seq);
    expect(callback.args.EDX).toBe(callback.args.RefData);
    expect(String(callback.args.EBP)).toMatch(/^0x[0-9a-f]{8}$/);
  });

  it('counts pending events: never negative, and zero again whenever the queues drain', () => {
    for (const c of timeline.counters) {
      expect(Math.min(c.global, c.vm, c.priority)).toBeGreaterThanOrEqual(0);
    }
    const live = new Set<number>();
    for (const r of run.records) {
      if (r.k === 'scheduled') live.add(r.handle);
      if (r.k === 'dispatch' && !r.inline) live.delete(r.handle);
      if (r.k === 'cancel' && r.outcome === 'cancelled') live.delete(r.victimHandle);
      if (r.k === 'discarded') live.delete(r.handle);
    }
    const last = timeline.counters.at(-1)!;
    expect(last.global + last.vm + last.priority).toBe(live.size);
  });
});

describe('timestamps', () => {
  it('are virtual ticks for a simulated run, strictly increasing, within the record\'s tick', () => {
    const { clock, timesUs } = recordTimesUs(run.records);
    expect(clock).toBe('virtualTicks');
    timesUs.forEach((t, i) => {
      if (i > 0) expect(t).toBeGreaterThan(timesUs[i - 1]!);
      expect(Math.floor(t + 1e-9)).toBeGreaterThanOrEqual(run.records[i]!.ticks);
    });
  });

  it('follow the wall-clock step times of a threaded run', () => {
    const steps = run.records.filter((r) => r.k === 'clientOp').length;
    const stepTimesUs = Array.from({ length: steps }, (_, i) => 1_000_000 + i * 50);
    const { clock, timesUs } = recordTimesUs(run.records, stepTimesUs);
    expect(clock).toBe('wallClockUs');
    let step = -1;
    run.records.forEach((r, i) => {
      if (r.k === 'clientOp') step++;
      const at = stepTimesUs[Math.max(0, step)]!;
      expect(timesUs[i]).toBeGreaterThanOrEqual(at);
      expect(timesUs[i]).toBeLessThan(at + 50);
    });
  });
});

describe('cutting a timeline', () => {
  const around = buildTimeline({ records: run.records, runtime: 'sim', title: 'leaky', cut: { kind: 'aroundViolation', before: 40 } });

  it('keeps the records before the first violation and a few after', () => {
    expect(around.firstSeq).toBe(violationSeq - 40);
    expect(around.lastSeq).toBe(Math.min(run.records.length - 1, violationSeq + 10));
    expect(around.firstViolationSeq).toBe(violationSeq);
  });

  it('clips spans and flows to the window, and keeps the pending count at its start', () => {
    expect(around.spans.every((s) => s.s >= around.firstSeq && s.e <= around.lastSeq + 1)).toBe(true);
    expect(around.spans.some((s) => s.clipped)).toBe(true);
    expect(nestedPerTrack(around.spans)).toEqual([]);
    expect(around.flows.every((f) => f.points.every((p) => p.seq >= around.firstSeq && p.seq <= around.lastSeq))).toBe(true);
    const before = timeline.counters.filter((c) => c.seq <= around.firstSeq).at(-1)!;
    expect(around.counters[0]).toMatchObject({ global: before.global, vm: before.vm, priority: before.priority });
  });

  it('shows exactly a given range of records', () => {
    const range: Timeline = buildTimeline({ records: run.records, runtime: 'sim', title: 'x', cut: { kind: 'range', fromSeq: 10, toSeq: 60 } });
    expect([range.firstSeq, range.lastSeq]).toEqual([10, 60]);
    expect(Math.min(...range.spans.map((s) => s.s))).toBe(10);
    expect(Math.max(...range.spans.map((s) => s.e))).toBe(61);
  });
});

describe('a run without violations', () => {
  it('has no violation instants and no bad flows', () => {
    let clean = null;
    for (let seed = 1; seed <= 64 && clean === null; seed++) {
      const candidate = leakyRun(seed);
      if (candidate.result.violations.length === 0) clean = candidate;
    }
    const quiet = buildTimeline({ records: clean!.records, runtime: 'sim', title: 'clean' });
    expect(quiet.firstViolationSeq).toBeNull();
    expect(quiet.flows.some((f) => f.bad)).toBe(false);
  });
});
