/**
 * The recorded choices of a run, and replaying them. A run is its seed, its configuration and
 * this log: feeding the log back makes the core take exactly the same path. The serialized form
 * is run-length encoded (most preemption points raise no IRQ): [kind, value, repeat] triples.
 *
 * Two logs record: a ChoiceLog keeps one entry per answer (the explorer and the shrinker edit
 * it by position), ChoiceRuns encodes as it goes and hands its runs out flat (a long run streams
 * them in chunks). Both give the same triples.
 */
import type { ChoiceKind, ChoiceSource, IrqPoint } from '../../vmm/choices.js';

export const KIND_CODE: Record<ChoiceKind, number> = { irq: 0, order: 1, latitude: 2, idle: 3 };
const KIND_NAME: ChoiceKind[] = ['irq', 'order', 'latitude', 'idle'];
const IRQ_CODE = KIND_CODE.irq;
const ORDER_CODE = KIND_CODE.order;
const LATITUDE_CODE = KIND_CODE.latitude;
const IDLE_CODE = KIND_CODE.idle;

export type SerializedChoices = [kind: number, value: number, repeat: number][];

/** Runs laid out flat: [kind, value, repeat, kind, value, repeat, ...] (a chunk of a run's log). */
export type FlatChoiceRuns = Float64Array;

/** Where a RecordingChoices writes the answers it records. */
export interface ChoiceSink {
  addCode(code: number, value: number): void;
  /** The runs recorded since the last call, flat, in a buffer the caller now owns; the sink forgets them. */
  drainRuns(): FlatChoiceRuns;
}

export class ChoiceLog implements ChoiceSink {
  readonly kinds: number[] = [];
  readonly values: number[] = [];

  add(kind: ChoiceKind, value: number): void {
    this.addCode(KIND_CODE[kind], value);
  }

  /** add() by kind code (KIND_CODE), for the recorder's hot path. */
  addCode(code: number, value: number): void {
    this.kinds.push(code);
    this.values.push(value);
  }

  get length(): number {
    return this.kinds.length;
  }

  serialize(): SerializedChoices {
    const out: SerializedChoices = [];
    for (let i = 0; i < this.kinds.length; i++) {
      const last = out[out.length - 1];
      if (last !== undefined && last[0] === this.kinds[i] && last[1] === this.values[i]) last[2]++;
      else out.push([this.kinds[i]!, this.values[i]!, 1]);
    }
    return out;
  }

  /** Serializes what was added since the last drain and forgets it: a long run streams its log. */
  drain(): SerializedChoices {
    const out = this.serialize();
    this.kinds.length = 0;
    this.values.length = 0;
    return out;
  }

  drainRuns(): FlatChoiceRuns {
    return flattenRuns(this.drain());
  }

  static deserialize(triples: SerializedChoices): ChoiceLog {
    const log = new ChoiceLog();
    for (const [kind, value, repeat] of triples) {
      if (KIND_NAME[kind] === undefined || !Number.isInteger(value) || !Number.isInteger(repeat) || repeat < 1) {
        throw new Error(`bad choice entry [${kind}, ${value}, ${repeat}]`);
      }
      for (let i = 0; i < repeat; i++) log.add(KIND_NAME[kind]!, value);
    }
    return log;
  }
}

/** Runs length-encoded as they are recorded, for streaming: no per-answer entry, nothing to encode later. */
export class ChoiceRuns implements ChoiceSink {
  protected runs: Float64Array;
  /** Numbers of `runs` in use (3 per run). */
  protected used = 0;

  constructor(protected readonly initialRuns = 1024) {
    this.runs = new Float64Array(3 * initialRuns);
  }

  addCode(code: number, value: number): void {
    const runs = this.runs;
    const n = this.used;
    if (n !== 0 && runs[n - 2] === value && runs[n - 3] === code) {
      runs[n - 1]!++;
      return;
    }
    if (n + 3 > runs.length) this.grow();
    const to = this.runs;
    to[n] = code;
    to[n + 1] = value;
    to[n + 2] = 1;
    this.used = n + 3;
  }

  /** Runs recorded since the last drain. */
  get runCount(): number {
    return this.used / 3;
  }

  /** Runs the current buffer holds before it grows (bounded by the busiest recent chunk). */
  get capacityRuns(): number {
    return this.runs.length / 3;
  }

  /**
   * The runs since the last drain, in their own buffer (transferable as it is: no copy), and a
   * fresh buffer sized for as many again. A run of equal answers that goes on is cut here; the
   * reader joins it again (joinRuns).
   */
  drainRuns(): FlatChoiceRuns {
    const out = this.runs.subarray(0, this.used);
    const runs = this.used / 3;
    this.runs = new Float64Array(3 * Math.max(this.initialRuns, runs + (runs >> 2)));
    this.used = 0;
    return out;
  }

  private grow(): void {
    const bigger = new Float64Array(2 * this.runs.length);
    bigger.set(this.runs);
    this.runs = bigger;
  }
}

export function flattenRuns(triples: SerializedChoices): FlatChoiceRuns {
  const out = new Float64Array(3 * triples.length);
  for (let i = 0; i < triples.length; i++) out.set(triples[i]!, 3 * i);
  return out;
}

/** The longest run a trace holds (its schema's bound): a longer one is split (a stress run without IRQs). */
export const RUN_REPEAT_MAX = 2 ** 31 - 1;

/**
 * Appends flat runs to `into` (flat too), joining the first with the last one there when they
 * are the same answer: what a chunk boundary split becomes one run again.
 */
export function joinRuns(into: number[], runs: ArrayLike<number>): void {
  for (let i = 0; i < runs.length; i += 3) {
    const n = into.length;
    if (n > 0 && into[n - 3] === runs[i] && into[n - 2] === runs[i + 1] && into[n - 1]! + runs[i + 2]! <= RUN_REPEAT_MAX) into[n - 1]! += runs[i + 2]!;
    else into.push(runs[i]!, runs[i + 1]!, runs[i + 2]!);
  }
}

/** Wraps a choice source and records every answer it gives, into a ChoiceLog unless told otherwise. */
export class RecordingChoices<Log extends ChoiceSink = ChoiceLog> implements ChoiceSource {
  /** IRQ choice points asked, and the interrupts raised at them (what an exploration reports). */
  irqPoints = 0;
  irqs = 0;
  /** Whether an irq, order or latitude answer was recorded since `clientStillRunning` was last asked. */
  private choiceSinceQuestion = true;

  constructor(private readonly inner: ChoiceSource, readonly log: Log = new ChoiceLog() as ChoiceSink as Log) {}

  irqArrivals(point: IrqPoint): number {
    const value = this.inner.irqArrivals(point);
    this.log.addCode(IRQ_CODE, value);
    this.choiceSinceQuestion = true;
    this.irqPoints++;
    for (let v = value >>> 0; v !== 0; v &= v - 1) this.irqs++;
    return value;
  }
  nextGlobalEvent(pending: number): number {
    const value = this.inner.nextGlobalEvent(pending);
    this.log.addCode(ORDER_CODE, value);
    this.choiceSinceQuestion = true;
    return value;
  }
  callNow(): boolean {
    const value = this.inner.callNow();
    this.log.addCode(LATITUDE_CODE, value ? 1 : 0);
    this.choiceSinceQuestion = true;
    return value;
  }
  /**
   * Recorded only when true: most steps find their op (and a log entry per step would double the
   * trace). A replay therefore answers true exactly when an 'idle' entry comes next, which is only
   * faithful if no false answer stands between the last entry and an idle one. So the question
   * goes to the inner source only once after each recorded irq, order or latitude answer; asked
   * again before another, the answer is false. That loses nothing a run could do: with no IRQ
   * point since the last question (interrupts disabled, or every source still asserting), ending
   * the step could not let the next one take an interrupt.
   */
  clientStillRunning(vmId: number): boolean {
    if (!this.choiceSinceQuestion) return false;
    this.choiceSinceQuestion = false;
    const value = this.inner.clientStillRunning?.(vmId) ?? false;
    if (value) this.log.addCode(IDLE_CODE, 1);
    return value;
  }
}

/** The replay diverged: the core asked for a choice the log does not have at that position. */
export class ReplayDivergence extends Error {
  override readonly name = 'ReplayDivergence';
  constructor(readonly index: number, readonly expected: string, readonly got: string) {
    super(`replay diverged at choice #${index}: the run asked for ${got}, the trace has ${expected}`);
  }
}

/**
 * Answers from a log. Past its end it answers "nothing happens" (no IRQ, FIFO, call now), which
 * is what shrinking relies on: a shortened log is still a valid run.
 */
export class ReplayChoices implements ChoiceSource {
  private index = 0;

  constructor(private readonly log: ChoiceLog, private readonly strict: boolean) {}

  get consumed(): number {
    return this.index;
  }

  get exhausted(): boolean {
    return this.index >= this.log.length;
  }

  irqArrivals(point: IrqPoint): number {
    return this.take('irq', 0) & point.eligibleSources;
  }
  nextGlobalEvent(pending: number): number {
    const value = this.take('order', 0);
    return value < pending ? value : 0;
  }
  callNow(): boolean {
    return this.take('latitude', 1) === 1;
  }
  /** True exactly where the recorded run had an idle step (an 'idle' entry comes next). */
  clientStillRunning(): boolean {
    if (this.index >= this.log.length || KIND_NAME[this.log.kinds[this.index]!] !== 'idle') return false;
    this.index++;
    return true;
  }

  private take(kind: ChoiceKind, fallback: number): number {
    if (this.index >= this.log.length) {
      if (this.strict) throw new ReplayDivergence(this.index, 'no more choices', kind);
      this.index++;
      return fallback;
    }
    const at = this.index++;
    const recorded = KIND_NAME[this.log.kinds[at]!]!;
    if (recorded !== kind) {
      if (this.strict) throw new ReplayDivergence(at, recorded, kind);
      return fallback;
    }
    return this.log.values[at]!;
  }
}
