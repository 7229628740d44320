import { describe, expect, it } from 'vitest';
import { toChromeTrace, type ChromeEvent } from '../../src/trace/chrome.js';
import { buildTimeline } from '../../src/trace/timeline.js';
import { validateChromeTrace } from './chromeFormat.js';
import { entryName, staleCancelRun } from './fixtures/leakyRun.js';

const run = staleCancelRun();
const whole = toChromeTrace(buildTimeline({ records: run.records, runtime: 'sim', title: 'leaky', entryName }));
const events = whole.traceEvents;
const threadNames = new Map(events.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, (e.args as { name: string }).name]));

describe('the Chrome trace of a run with a stale cancel', () => {
  it('is valid Trace Event Format, whole and cut, and survives a JSON round trip', () => {
    expect(validateChromeTrace(JSON.parse(JSON.stringify(whole)))).toEqual([]);
    const cut = toChromeTrace(buildTimeline({ records: run.records, runtime: 'sim', title: 'cut', cut: { kind: 'aroundViolation', before: 60 } }));
    expect(validateChromeTrace(cut)).toEqual([]);
    expect(cut.traceEvents.length).toBeLessThan(events.length);
  });

  it('names one thread per VM, per IRQ line and for the VMM queues', () => {
    expect([...threadNames.values()]).toEqual(expect.arrayContaining(['VMM event queues', 'VM 1 (system)', 'VM 2', 'VM 3', 'IRQ 3']));
  });

  it('has client and ring-0 segments on the VM threads and nested IRQ handlers on IRQ 3', () => {
    const onVm1 = events.filter((e) => threadNames.get(e.tid ?? -1) === 'VM 1 (system)' && e.ph === 'X');
    expect(new Set(onVm1.map((e) => e.cat))).toEqual(new Set(['client', 'ring0']));
    const nested = events.filter((e) => threadNames.get(e.tid ?? -1) === 'IRQ 3' && e.ph === 'B' && e.cat === 'irqNested');
    expect(nested.length).toBeGreaterThan(0);
    expect(nested[0]!.name).toMatch(/^IRQ 3 nested \(re-enter \d\)$/);
  });

  it('draws the buggy event as one flow: scheduled on IRQ 3, dispatched and stale-cancelled on VM threads', () => {
    const bad = events.filter((e) => 'stf'.includes(e.ph) && e.cat === 'event,violation');
    expect(bad.map((e) => e.ph)).toEqual(['s', 't', 'f']);
    expect(new Set(bad.map((e) => e.id)).size).toBe(1);
    expect(threadNames.get(bad[0]!.tid!)).toBe('IRQ 3');
    expect(threadNames.get(bad[1]!.tid!)).toMatch(/^VM /);
    expect((bad[2]!.args as { step: string }).step).toBe('staleCancel');
  });

  it('shows the violation as an instant with its explanation, on its thread and globally', () => {
    const violations = events.filter((e) => e.ph === 'i' && e.cat === 'violation');
    expect(violations.map((e) => e.s)).toEqual(['t', 'g']);
    expect(violations[0]!.name).toBe('violation: staleCancel');
    expect((violations[0]!.args as { message: string }).message).toBe(run.result.firstViolation!.message);
  });

  it('counts pending events by kind and stamps the run in virtual microseconds', () => {
    const counters = events.filter((e) => e.ph === 'C');
    expect(counters.length).toBeGreaterThan(1);
    expect(Object.keys(counters[0]!.args!)).toEqual(['global', 'vm', 'priority']);
    expect(whole.otherData.clock).toBe('virtualTicks');
    const last = Math.max(...events.filter((e) => e.ts !== undefined).map((e) => e.ts!));
    expect(last).toBeGreaterThanOrEqual(run.records.at(-1)!.ticks);
    expect(last).toBeLessThan(run.records.at(-1)!.ticks + 2);
  });
});

describe('the format checker', () => {
  const base: ChromeEvent[] = [
    { ph: 'M', pid: 1, name: 'process_name', args: { name: 'p' } },
    { ph: 'M', pid: 1, tid: 1, name: 'thread_name', args: { name: 't' } },
    { ph: 'X', pid: 1, tid: 1, name: 'outer', ts: 0, dur: 10 },
  ];

  it('accepts a small well-formed trace', () => {
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'B', pid: 1, tid: 1, name: 'a', ts: 1 }, { ph: 'E', pid: 1, tid: 1, name: 'a', ts: 2 }] })).toEqual([]);
  });

  it('rejects unmatched ends, begins left open and mismatched names', () => {
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'E', pid: 1, tid: 1, ts: 2 }] })).not.toEqual([]);
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'B', pid: 1, tid: 1, name: 'a', ts: 1 }] })).not.toEqual([]);
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'B', pid: 1, tid: 1, name: 'a', ts: 1 }, { ph: 'E', pid: 1, tid: 1, name: 'b', ts: 2 }] })).not.toEqual([]);
  });

  it('rejects a child that outlives its parent, and a flow that starts outside any slice or never finishes', () => {
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'X', pid: 1, tid: 1, name: 'c', ts: 5, dur: 10 }] })).not.toEqual([]);
    const flow = (ts: number): ChromeEvent[] => [
      { ph: 's', pid: 1, tid: 1, id: 7, name: 'f', cat: 'e', ts },
      { ph: 'f', pid: 1, tid: 1, id: 7, name: 'f', cat: 'e', ts: 9, bp: 'e' },
    ];
    expect(validateChromeTrace({ traceEvents: [...base, ...flow(2)] })).toEqual([]);
    expect(validateChromeTrace({ traceEvents: [...base, ...flow(20)] })).not.toEqual([]);
    expect(validateChromeTrace({ traceEvents: [...base, flow(2)[0]!] })).not.toEqual([]);
  });

  it('rejects events without the required fields', () => {
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'X', pid: 1, tid: 1, name: 'x', ts: 1 }] })).not.toEqual([]);
    expect(validateChromeTrace({ traceEvents: [...base, { ph: 'C', pid: 1, name: 'c', ts: 1, args: { n: 'x' } }] })).not.toEqual([]);
    expect(validateChromeTrace({ events: [] })).not.toEqual([]);
  });
});
