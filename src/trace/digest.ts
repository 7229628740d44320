/**
 * A run's timeline made in one pass over its record stream, in memory that does not grow with
 * the run: the whole-run overview (overview.ts) and detail windows (full timelines, model.ts)
 * of the stretches worth zooming into.
 *
 * A run of at most `detailRecordsMax` records is one window: every record in detail. A longer
 * one keeps windows of `windowRecords` records: around each of the first violations (most of
 * the window before it), the first and the last stretch of the run, and the busiest stretches
 * (nested interrupts, cancels, dispatches: the hot spots), as many as the budget holds. Only the
 * last `windowRecords` records are held at any time, and a stretch's timeline is built only
 * when it makes the cut.
 */
import type { HistoryRecord } from '../vmm/history.js';
import { RecordClock, type StepTimes } from './clock.js';
import type { Args, ClockKind, Timeline } from './model.js';
import { OverviewBuilder, type Overview } from './overview.js';
import { buildTimeline, type TimelineSource } from './timeline.js';
import { cutTimeline } from './window.js';

export const DETAIL_RECORDS_MAX = 100_000;
export const WINDOW_RECORDS = 3_000;
/** Violations that get a window of their own. */
const VIOLATION_WINDOWS_MAX = 8;
/** Records before a range that are replayed into it, so frames begun just before it are drawn. */
const RANGE_CONTEXT_RECORDS = 2_000;

export interface DigestOptions {
  runtime: 'sim' | 'threads';
  title: string;
  meta: Args;
  /** The records to draw (inclusive); the run's records around them only give context. */
  firstSeq: number;
  lastSeq: number;
  times?: StepTimes;
  entryName?: TimelineSource['entryName'];
  detailRecordsMax?: number;
  windowRecords?: number;
}

export interface TimelineDigest {
  title: string;
  runtime: 'sim' | 'threads';
  clock: ClockKind;
  meta: Args;
  overview: Overview;
  /** Detail windows in record order (they may overlap). */
  windows: Timeline[];
  /** The windows cover every record drawn. */
  complete: boolean;
}

/** Why a stretch has detail: the whole run, a violation, the run's start or end, or a busy stretch. */
export type WindowKind = 'all' | 'violation' | 'start' | 'end' | 'busy';

interface Held {
  record: HistoryRecord;
  timeUs: number;
  /** Pending events by kind before the record (global, vm, priority): numbers, not an object, for the garbage collector's sake. */
  global: number;
  vm: number;
  priority: number;
}

export class DigestBuilder {
  private readonly clock: RecordClock;
  private readonly overview: OverviewBuilder;
  private readonly whole: boolean;
  private readonly windowRecords: number;
  private readonly held: Ring<Held>;
  private lastSeenSeq = -1;
  private readonly hot: { score: number; window: Timeline }[] = [];
  private readonly hotMax: number;
  private readonly fixed: Timeline[] = [];
  private blockScore = 0;
  private violationWindows = 0;
  private captureUntilSeq = -1;
  private capturedUpToSeq = -1;

  constructor(private readonly options: DigestOptions) {
    this.clock = new RecordClock((r, t) => this.timed(r, t), options.runtime === 'threads' ? options.times : undefined);
    this.overview = new OverviewBuilder(options.firstSeq, options.lastSeq);
    const records = options.lastSeq - options.firstSeq + 1;
    const budget = options.detailRecordsMax ?? DETAIL_RECORDS_MAX;
    this.whole = records <= budget;
    this.windowRecords = this.whole ? records + RANGE_CONTEXT_RECORDS : options.windowRecords ?? WINDOW_RECORDS;
    this.hotMax = Math.max(0, Math.floor(budget / this.windowRecords) - VIOLATION_WINDOWS_MAX - 2);
    this.held = new Ring<Held>(this.windowRecords);
  }

  /** Every record of the run, in order. */
  push(record: HistoryRecord): void {
    if (record.seq > this.options.lastSeq) return;
    this.clock.push(record);
  }

  end(): TimelineDigest {
    this.clock.end();
    const { options } = this;
    const held = this.held.items();
    if (this.lastSeenSeq < options.firstSeq) {
      // No record to draw (an empty run): no window.
    } else if (this.whole) this.fixed.push(this.window(held, 'all'));
    else {
      // The end of the run: its last (partial) block.
      const lastBlockSeq = options.firstSeq + Math.floor((this.lastSeenSeq - options.firstSeq) / this.windowRecords) * this.windowRecords;
      const lastBlock = held.filter((h) => h.record.seq >= lastBlockSeq);
      if (lastBlock.length > 0) this.fixed.push(this.window(lastBlock, 'end'));
    }
    const windows = [...this.fixed, ...this.hot.map((h) => h.window)].sort((a, b) => a.firstSeq - b.firstSeq);
    const overview = this.overview.finish();
    for (const track of overview.tracks) {
      track.lanes = Math.max(1, ...windows.map((w) => w.tracks.find((t) => t.id === track.id)?.lanes ?? 1));
    }
    return { title: options.title, runtime: options.runtime, clock: this.clock.clock, meta: options.meta, overview, windows, complete: this.whole };
  }

  private timed(record: HistoryRecord, timeUs: number): void {
    const { options } = this;
    const inside = record.seq >= options.firstSeq;
    const pending = this.overview.pendingNow;
    const held: Held = { record, timeUs, global: pending.global, vm: pending.vm, priority: pending.priority };
    if (inside) {
      this.overview.push(record, timeUs);
      this.lastSeenSeq = record.seq;
    } else this.overview.skip(record);
    this.held.push(held);
    if (this.whole || !inside) return;
    this.blockScore += scoreOf(record);
    if (record.k === 'violation' && this.violationWindows < VIOLATION_WINDOWS_MAX && record.seq > this.capturedUpToSeq && this.captureUntilSeq < 0) {
      this.captureUntilSeq = Math.min(options.lastSeq, record.seq + Math.floor(this.windowRecords / 5));
    }
    if (record.seq === this.captureUntilSeq) {
      this.fixed.push(this.window(this.held.items(), 'violation'));
      this.violationWindows++;
      this.capturedUpToSeq = record.seq;
      this.captureUntilSeq = -1;
    }
    const offset = record.seq - options.firstSeq + 1;
    // A block that ends the run is drawn as the run's end (in end()).
    if (offset % this.windowRecords === 0 && record.seq < options.lastSeq) this.endBlock(offset === this.windowRecords);
  }

  /** A block of windowRecords records ended: keep it if it is among the busiest (or the first). */
  private endBlock(first: boolean): void {
    const score = this.blockScore;
    this.blockScore = 0;
    if (first) {
      this.fixed.push(this.window(this.held.items(), 'start'));
      return;
    }
    if (this.hotMax === 0) return;
    if (this.hot.length < this.hotMax) this.hot.push({ score, window: this.window(this.held.items(), 'busy') });
    else {
      let min = 0;
      for (let i = 1; i < this.hot.length; i++) if (this.hot[i]!.score < this.hot[min]!.score) min = i;
      if (score > this.hot[min]!.score) this.hot[min] = { score, window: this.window(this.held.items(), 'busy') };
    }
  }

  /** The detail timeline of held records, cut to the records drawn. */
  private window(held: readonly Held[], detail: WindowKind): Timeline {
    const whole = detail === 'all';
    const { options } = this;
    const timeline = buildTimeline({
      records: held.map((h) => h.record),
      runtime: options.runtime,
      times: { clock: this.clock.clock, timesUs: held.map((h) => h.timeUs) },
      ...(held[0]!.record.seq > 0 ? { pendingAtStart: { global: held[0]!.global, vm: held[0]!.vm, priority: held[0]!.priority } } : {}),
      title: options.title,
      meta: { ...options.meta, detail },
      ...(options.entryName !== undefined ? { entryName: options.entryName } : {}),
    });
    const fromSeq = Math.max(options.firstSeq, held[0]!.record.seq);
    if (whole && fromSeq === held[0]!.record.seq) return timeline;
    const bySeq = new Map(held.map((h) => [h.record.seq, h.timeUs]));
    return cutTimeline(timeline, { fromSeq, toSeq: options.lastSeq }, (seq) => bySeq.get(seq) ?? 0);
  }
}

/** How much a record makes a stretch worth a closer look. */
function scoreOf(r: HistoryRecord): number {
  switch (r.k) {
    case 'violation': return 50;
    case 'irqEnter': return r.nested ? 6 : 1;
    case 'cancel': return r.outcome === 'cancelled' ? 2 : r.outcome === 'zero' ? 0 : 10;
    case 'scheduled': case 'taskSwitch': return 2;
    case 'dispatch': return r.inline ? 0 : 2;
    default: return 0;
  }
}

/** The last `capacity` items pushed. */
class Ring<T> {
  private readonly items_: T[] = [];
  private next = 0;

  constructor(private readonly capacity: number) {}

  push(item: T): void {
    if (this.items_.length < this.capacity) this.items_.push(item);
    else this.items_[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Oldest first. */
  items(): T[] {
    return this.items_.length < this.capacity ? this.items_.slice() : [...this.items_.slice(this.next), ...this.items_.slice(0, this.next)];
  }
}
