/**
 * Timelines that scale: a run drawn in one pass as a whole-run overview plus detail windows.
 * A long run here is the leaky modem over many steps, drawn with a small detail budget so that it
 * takes the long-run path (overview bins, windows around violations, the start, the end and the
 * busiest stretches) in test time.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/actors/sim/simulate.js';
import { writeChromeTrace } from '../../src/trace/chrome.js';
import { recordTimesUs, RecordClock } from '../../src/trace/clock.js';
import { buildTimeline } from '../../src/trace/timeline.js';
import type { HistoryRecord } from '../../src/vmm/history.js';
import { validateChromeTrace } from './chromeFormat.js';
import { digestOf } from './fixtures/digest.js';
import leakyModem from './fixtures/leakyModem.js';
import { LEAKY_REF } from './fixtures/leakyRun.js';

const { result } = simulate({ scenario: leakyModem, scenarioRef: LEAKY_REF, seed: 3, steps: 12_000, config: { handleMode: 'checked', latitude: false }, keepAll: true });
const records = result.all!;
const WINDOW = 1_000;
const BUDGET = 15_000;
const digest = digestOf(records, { runtime: 'sim', title: 'long', detailRecordsMax: BUDGET, windowRecords: WINDOW });
const violations = records.filter((r) => r.k === 'violation');
const { timesUs } = recordTimesUs(records);

describe('the digest of a long run', () => {
  it('takes the long-run path: more records than the detail budget', () => {
    expect(records.length).toBeGreaterThan(2 * BUDGET);
    expect(violations.length).toBeGreaterThan(3);
    expect(digest.complete).toBe(false);
  });

  it("counts every record once, in its bin, on its VM's track", () => {
    const o = digest.overview;
    const vms = o.tracks.filter((t) => t.kind === 'vm');
    const perBin = o.binStartUs.map((_, i) => vms.reduce((sum, t) => sum + t.counts.client![i]! + t.counts.ring0![i]!, 0));
    expect(perBin.reduce((a, b) => a + b, 0)).toBe(records.length);
    const expected = o.binStartUs.map(() => 0);
    for (const r of records) expected[Math.floor(r.seq / o.binRecords)]!++;
    expect(perBin).toEqual(expected);
  });

  it('lists every violation at its record and time, and counts them per bin', () => {
    const o = digest.overview;
    expect(o.violationsTotal).toBe(violations.length);
    expect(o.violations.map((v) => v.seq)).toEqual(violations.map((r) => r.seq));
    o.violations.forEach((v) => expect(v.ts).toBe(timesUs[v.seq]));
    expect(o.violationBins.reduce((a, b) => a + b, 0)).toBe(violations.length);
  });

  it('keeps detail within budget: the start, the end, the first violations and the busiest stretches', () => {
    const sizes = digest.windows.map((w) => w.lastSeq - w.firstSeq + 1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(WINDOW);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(BUDGET);
    expect(digest.windows.some((w) => w.firstSeq === 0)).toBe(true);
    expect(digest.windows.some((w) => w.lastSeq === records.length - 1)).toBe(true);
    const first = violations[0]!.seq;
    const around = digest.windows.find((w) => w.meta.detail === 'violation' && w.firstSeq <= first && first <= w.lastSeq);
    expect(around).toBeDefined();
    expect(around!.instants.some((i) => i.cat === 'violation' && i.seq === first)).toBe(true);
    expect(digest.windows.filter((w) => w.meta.detail === 'busy').length).toBeGreaterThan(0);
  });

  it('gives each record in a window its true time in the run (the same as a whole-run clock)', () => {
    for (const w of digest.windows) {
      for (const i of w.instants) expect(i.ts).toBe(timesUs[i.seq]);
      for (const s of w.spans) expect(s.t0).toBe(timesUs[s.s]);
    }
  });

  it('writes a valid, decimated Chrome trace: activity counters for the whole run, detail for stretches that do not overlap', () => {
    const parts: string[] = [];
    writeChromeTrace(digest, (text) => parts.push(text));
    const chrome = JSON.parse(parts.join('')) as { displayTimeUnit: string; otherData: { detail: string }; traceEvents: { ph: string; name?: string }[] };
    expect(validateChromeTrace(chrome)).toEqual([]);
    expect(chrome.displayTimeUnit).toBe('ms');
    expect(chrome.otherData.detail).toMatch(/^decimated: activity counters per track over \d+ bins/);
    const vm1 = chrome.traceEvents.filter((e) => e.ph === 'C' && e.name === 'VM 1 (system) activity');
    expect(vm1).toHaveLength(digest.overview.binStartUs.length);
    expect(chrome.traceEvents.filter((e) => e.ph === 'i' && e.name === 'violation: staleCancel').length).toBeGreaterThan(0);
  });
});

describe('the digest of a range of records', () => {
  it('starts the pending-event count where the whole run had it, and lists only the range', () => {
    const from = 5_000;
    const to = 5_999;
    const range = digestOf(records, { runtime: 'sim', title: 'range', firstSeq: from, lastSeq: to });
    expect(range.complete).toBe(true);
    const [window] = range.windows;
    expect([window!.firstSeq, window!.lastSeq]).toEqual([from, to]);
    const whole = buildTimeline({ records, runtime: 'sim', title: 'whole' });
    const before = whole.counters.filter((c) => c.seq <= from).at(-1)!;
    expect(window!.counters[0]).toMatchObject({ global: before.global, vm: before.vm, priority: before.priority });
    expect(range.overview.violations.every((v) => v.seq >= from && v.seq <= to)).toBe(true);
    expect(range.overview.violationsTotal).toBe(violations.filter((r) => r.seq >= from && r.seq <= to).length);
  });
});

describe('the clock of a threaded run', () => {
  /** `steps` client steps of one record each (plus a service record every 3rd), step i at 1000 + 7i µs. */
  function synthetic(steps: number): { records: HistoryRecord[]; stepTimesUs: number[] } {
    const out: HistoryRecord[] = [];
    for (let i = 0; i < steps; i++) {
      out.push({ k: 'clientOp', seq: out.length, ticks: 0, vm: 1, ctx: 'vm', reenter: 0, op: { op: 'cli' } } as HistoryRecord);
      if (i % 3 === 0) out.push({ k: 'processBegin', seq: out.length, ticks: 0, vm: 1, ctx: 'vmm', reenter: 0 } as HistoryRecord);
    }
    return { records: out, stepTimesUs: Array.from({ length: steps }, (_, i) => 1000 + 7 * i) };
  }

  it('keeps every step at its own time past 250,000 steps (no packing at the end)', () => {
    const { records: recs, stepTimesUs } = synthetic(300_000);
    const { clock, timesUs: t } = recordTimesUs(recs, stepTimesUs);
    expect(clock).toBe('wallClockUs');
    const atSteps = recs.flatMap((r, i) => (r.k === 'clientOp' ? [t[i]!] : []));
    expect(atSteps).toEqual(stepTimesUs);
  });

  it('interpolates between sampled step times (a long run keeps one sample every stride steps)', () => {
    const { records: recs, stepTimesUs } = synthetic(10_000);
    const stride = 16;
    const samples = stepTimesUs.filter((_, i) => i % stride === 0);
    const got: number[] = [];
    const clock = new RecordClock((r, time) => {
      if (r.k === 'clientOp') got.push(time);
    }, { stepTimesUs: samples, strideSteps: stride });
    for (const r of recs) clock.push(r);
    clock.end();
    // Evenly spaced true times: interpolation finds every one, past the last sample too.
    expect(got).toHaveLength(stepTimesUs.length);
    expect(Math.max(...got.map((time, step) => Math.abs(time - stepTimesUs[step]!)))).toBeLessThan(1e-6);
  });
});
