/**
 * Which IRQ sources have a hardware-interrupt handler running now, read from the decision log
 * (`irqEnter` / `irqExit` records). A priority-based strategy treats such a source as blocked:
 * the PCT "thread" of a source is its device, which is busy in its handler until the IRET, so
 * it cannot also be the next thing to run. Without this, a top-priority source re-asserts inside
 * its own handler the moment it takes its request, and no other source ever lands there.
 */
import type { HistoryRecord, RecordOf } from '../../../vmm/history.js';
import { KIND, kindOf } from '../../../vmm/recordKinds.js';
import type { SourceInfo } from '../irqSources.js';

export interface RecordObserver {
  /**
   * Every record of the run, in order (the strategy's view of what the machine did). `kind`: the
   * record's kind number, as the core hands it to its sink (recordKinds.ts). The record is the
   * core's, valid during the call (vmm/recordRing.ts): keep fields, or a copy.
   */
  onRecord(record: HistoryRecord, kind?: number): void;
  /**
   * Bit k: the observer reads records of kind number k (recordKinds.ts); absent, every kind. A
   * reader that forwards records (explore/executionRecords.ts) skips the call for the others.
   */
  readonly recordKinds?: number;
}

/** The kinds InServiceSources reads: the observers that only track it say so (RecordObserver.recordKinds). */
export const IN_SERVICE_KINDS = (1 << KIND.irqEnter) | (1 << KIND.irqExit);

/** No handler on any of the 16 lines: copied per strategy (a slice of a packed literal is one block copy; the explorer makes one per execution). */
const NO_HANDLERS: readonly number[] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

export class InServiceSources implements RecordObserver {
  /** Handlers running per IRQ line (a line can nest on itself after its EOI). */
  private readonly depthByLine = NO_HANDLERS.slice();
  /** Per IRQ line, bit i: source i raises that line (a record changes only its line's bits of `mask`). */
  private readonly sourcesByLine = NO_HANDLERS.slice();
  /** Bit i: source i's line has a handler running. */
  mask = 0;

  constructor(sources: readonly SourceInfo[]) {
    for (let i = 0; i < sources.length; i++) this.sourcesByLine[sources[i]!.irq]! |= 1 << i;
  }

  /** As a new one: no handler running (a strategy restarted for the next execution). */
  reset(): void {
    this.depthByLine.fill(0);
    this.mask = 0;
  }

  onRecord(record: HistoryRecord, kind: number = kindOf(record)): void {
    if (kind !== KIND.irqEnter && kind !== KIND.irqExit) return;
    const line = (record as RecordOf<'irqEnter' | 'irqExit'>).irq;
    const depth = (this.depthByLine[line]! += kind === KIND.irqEnter ? 1 : -1);
    this.mask = depth > 0 ? this.mask | this.sourcesByLine[line]! : this.mask & ~this.sourcesByLine[line]!;
  }
}
