/**
 * History records in, a timeline out (see model.ts): the CPU's spans per VM and IRQ line, each
 * event's lifecycle as a flow, the pending-event counters and the violations. Runtime-neutral:
 * chrome.ts and html.ts only render it.
 */
import type { EventKind } from '../vmm/eventTable.js';
import type { HistoryRecord } from '../vmm/history.js';
import { recordTimesUs } from './clock.js';
import { cpuSpans, locate } from './cpu.js';
import { eventLifecycles } from './lifecycle.js';
import type { Args, ClockKind, Timeline, Track } from './model.js';
import { nestSpans, placePoints } from './nesting.js';
import { aroundFirstViolation, cutTimeline } from './window.js';

export interface TimelineSource {
  records: readonly HistoryRecord[];
  runtime: 'sim' | 'threads';
  /** Wall-clock µs per client step of a threaded run; virtual ticks are used without it. */
  stepTimesUs?: readonly number[];
  /** Steps between two entries of stepTimesUs (1 when absent). */
  stepTimesStride?: number;
  /** Each record's time, already computed (a detail window cut from a stream): overrides the above. */
  times?: { clock: ClockKind; timesUs: readonly number[] };
  /** Pending events by kind before the first record (a window that starts mid-run). */
  pendingAtStart?: Record<EventKind, number>;
  title: string;
  meta?: Args;
  /** The name of a trap entry point (`modem.hangup`), from the scenario's devices. */
  entryName?: (device: number, entry: number) => string | undefined;
  /** Show only part of the run: a range of records, or the records before the first violation. */
  cut?: { kind: 'range'; fromSeq: number; toSeq: number } | { kind: 'aroundViolation'; before: number };
}

export function buildTimeline(source: TimelineSource): Timeline {
  const { records } = source;
  const { clock, timesUs } = source.times ?? recordTimesUs(records, source.runtime === 'threads' ? source.stepTimesUs : undefined, source.stepTimesStride);
  const where = locate(records);
  const life = eventLifecycles(records, timesUs, where, source.pendingAtStart);
  const spans = cpuSpans({
    records, timesUs, flowAtDispatch: life.flowAtDispatch,
    ...(source.entryName !== undefined ? { entryName: source.entryName } : {}),
  });
  const lanes = nestSpans(spans);
  placePoints(spans, [...life.flows.flatMap((f) => f.points), ...life.instants]);
  const firstViolation = life.instants.find((i) => i.cat === 'violation');
  const whole: Timeline = {
    title: source.title,
    runtime: source.runtime,
    clock,
    firstSeq: records[0]?.seq ?? 0,
    lastSeq: records.at(-1)?.seq ?? 0,
    firstViolationSeq: firstViolation?.seq ?? null,
    tracks: tracksOf(records, lanes),
    spans,
    flows: life.flows,
    instants: life.instants,
    counters: life.counters,
    meta: { records: records.length, ...source.meta },
  };
  const { cut } = source;
  if (cut === undefined || records.length === 0) return whole;
  const range = cut.kind === 'range' ? cut : aroundFirstViolation(whole.firstSeq, whole.lastSeq, whole.firstViolationSeq, cut.before);
  return cutTimeline(whole, range, (seq) => timesUs[seq - whole.firstSeq]!);
}

/** The VMM's queues first, then every VM that appears, then every IRQ line taken. */
function tracksOf(records: readonly HistoryRecord[], lanes: ReadonlyMap<string, number>): Track[] {
  const vms = new Set<number>();
  const irqs = new Set<number>();
  for (const r of records) {
    vms.add(r.vm);
    if (r.k === 'taskSwitch') vms.add(r.to);
    if (r.k === 'vmLifecycle') vms.add(r.targetVm);
    if (r.k === 'irqEnter') irqs.add(r.irq);
  }
  const lanesOf = (id: string): number => Math.max(1, lanes.get(id) ?? 0);
  const byNumber = (a: number, b: number): number => a - b;
  return [
    { id: 'vmm', kind: 'vmm', name: 'VMM event queues', n: 0, lanes: lanesOf('vmm') },
    ...[...vms].sort(byNumber).map((n): Track => ({ id: `vm:${n}`, kind: 'vm', name: n === 1 ? 'VM 1 (system)' : `VM ${n}`, n, lanes: lanesOf(`vm:${n}`) })),
    ...[...irqs].sort(byNumber).map((n): Track => ({ id: `irq:${n}`, kind: 'irq', name: `IRQ ${n}`, n, lanes: lanesOf(`irq:${n}`) })),
  ];
}
