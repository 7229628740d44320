/**
 * The events the rules still track, one entry per handle, shared by the rules that follow an
 * event from its schedule to its end (lifecycle, dispatch place, priority order, boosts). Each
 * rule keeps its own facts in the entry and its own membership bit (HOLDER): an entry held by
 * no rule goes back to a pool. One scheduled event so costs one entry and one lookup per record
 * instead of a Map entry (and often a small object) in each rule, and nothing is allocated in
 * the steady state: entries and the index grow only to the most events live at once.
 *
 * The index is open addressing with linear probing over a power-of-two array of entries (null:
 * empty), kept at most half full; a removal shifts the run after it back, so no tombstones
 * pile up however long the run. The last entry found is remembered: the rules that read one
 * record ask for the same handle one after the other.
 *
 *   index:  [ null | e(0x30001) | e(0x50001) | null | ... ]   slot = hash(handle), then +1, +2 ...
 *   entry:  handle, holders (bits), then each rule's fields
 *
 * Handles are compared as numbers (any value the records carry, as a Map would), hashed on
 * their low 32 bits.
 */
import type { EventKind } from '../eventTable.js';

/** Which rule holds an entry; each rule sets and clears only its own bits. */
export const HOLDER = {
  /** lifecycle: the event is live (scheduled, not yet dispatched, cancelled or discarded). */
  live: 1,
  /** dispatch place: a priority event whose deadline is kept. */
  deadline: 2,
  /** dispatch place: a global event not yet run or cancelled. */
  pendingGlobal: 4,
  /** priority order: a pending priority event, in the order they were scheduled. */
  pendingPriority: 8,
  /** boosts: boosts applied under this handle and not yet removed. */
  boosted: 16,
  /** boosts: the flags of the priority event whose callback just ran. */
  endedFlags: 32,
} as const;

export class LiveEvent {
  handle = 0;
  /** HOLDER bits of the rules that hold this entry. */
  holders = 0;
  /** lifecycle: the live event's kind. */
  kind: EventKind = 'global';
  /** dispatch place and priority order (both write it, from the same `scheduled` record): -1 for none. */
  deadlineTicks = -1;
  /** priority order: the pending priority event's VM and flags. */
  targetVm = 0;
  flags = 0;
  /** priority order: the pending priority events, oldest first (a list through the entries). */
  prevPending: LiveEvent | null = null;
  nextPending: LiveEvent | null = null;
  /** boosts: applied while the event is live, and those whose event is over but not yet removed. */
  liveBoosts = 0;
  endedBoosts = 0;
  /** boosts: see HOLDER.endedFlags. */
  endedFlags = 0;
  /** boosts: the handles with boosts, in the order they were first boosted. */
  prevBoosted: LiveEvent | null = null;
  nextBoosted: LiveEvent | null = null;
}

/** 2^32 / golden ratio: Fibonacci hashing spreads consecutive handles over the index. */
const GOLDEN = 0x9e3779b1;
const FIRST_BITS = 4;

export class LiveEventTable {
  private index: (LiveEvent | null)[] = new Array<LiveEvent | null>(1 << FIRST_BITS).fill(null);
  private bits = FIRST_BITS;
  private size = 0;
  /** Entries no rule holds, to be used again. */
  private readonly pool: LiveEvent[] = [];
  private last: LiveEvent | null = null;

  /**
   * The entry of `handle`, or null if no rule holds it. Small enough that the compiler always
   * inlines it (the rules ask up to six times per record): the probe of the index, needed only
   * when the entry is not the last one found, is a call of its own.
   */
  find(handle: number): LiveEvent | null {
    const last = this.last;
    return last !== null && last.handle === handle ? last : this.probe(handle);
  }

  private probe(handle: number): LiveEvent | null {
    const index = this.index;
    const mask = index.length - 1;
    for (let i = this.slot(handle); ; i = (i + 1) & mask) {
      const e = index[i]!;
      if (e === null) return null;
      if (e.handle === handle) return (this.last = e);
    }
  }

  /** Whether `holder` holds `handle`. */
  holds(handle: number, holder: number): boolean {
    const e = this.find(handle);
    return e !== null && (e.holders & holder) !== 0;
  }

  /** The entry of `handle`, made if none; `holder` holds it from now on. */
  hold(handle: number, holder: number): LiveEvent {
    let e = this.find(handle);
    if (e === null) e = this.add(handle);
    e.holders |= holder;
    return e;
  }

  /** `holder` lets go of `e`; held by no rule, it leaves the table. */
  release(e: LiveEvent, holder: number): void {
    e.holders &= ~holder;
    if (e.holders === 0) this.remove(e);
  }

  /** Every entry leaves the table (the rules drop their counts and lists themselves). */
  clear(): void {
    const index = this.index;
    // The scan stops at the last entry: most runs end with few events live, many with none.
    let left = this.size;
    for (let i = 0; left > 0 && i < index.length; i++) {
      const e = index[i]!;
      if (e === null) continue;
      e.holders = 0;
      this.pool.push(e);
      index[i] = null;
      left--;
    }
    this.size = 0;
    this.last = null;
  }

  private slot(handle: number): number {
    return Math.imul(handle | 0, GOLDEN) >>> (32 - this.bits);
  }

  private add(handle: number): LiveEvent {
    if (2 * (this.size + 1) > this.index.length) this.grow();
    const e = this.pool.pop() ?? new LiveEvent();
    e.handle = handle;
    e.holders = 0;
    this.place(e);
    this.size++;
    this.last = e;
    return e;
  }

  private place(e: LiveEvent): void {
    const index = this.index;
    const mask = index.length - 1;
    let i = this.slot(e.handle);
    while (index[i] !== null) i = (i + 1) & mask;
    index[i] = e;
  }

  /** Takes `e` out and moves back the entries after it that its slot pushed along (no tombstones). */
  private remove(e: LiveEvent): void {
    const index = this.index;
    const mask = index.length - 1;
    let hole = this.slot(e.handle);
    while (index[hole] !== e) hole = (hole + 1) & mask;
    index[hole] = null;
    for (let i = (hole + 1) & mask; ; i = (i + 1) & mask) {
      const next = index[i]!;
      if (next === null) break;
      const home = this.slot(next.handle);
      // `next` may fill the hole if its home is not in (hole, i] (cyclically).
      if (((i - home) & mask) >= ((i - hole) & mask)) {
        index[hole] = next;
        index[i] = null;
        hole = i;
      }
    }
    this.size--;
    if (this.last === e) this.last = null;
    this.pool.push(e);
  }

  private grow(): void {
    const old = this.index;
    this.bits++;
    this.index = new Array<LiveEvent | null>(1 << this.bits).fill(null);
    for (const e of old) if (e !== null) this.place(e);
  }
}
