/**
 * The tail a report shows ("the events leading to it"): after any number of records, exactly the
 * last `capacity` of them, oldest first, the same objects, however the ring stores them.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HistoryRing, type HistoryRecord } from '../../src/vmm/history.js';

function record(seq: number): HistoryRecord {
  return { k: 'processEnd', dispatched: seq % 3, cut: false, seq, ticks: seq * 2, vm: 1, ctx: 'vmm', reenter: 0 };
}

describe('HistoryRing', () => {
  it('keeps the last `capacity` records in order, at every point of a stream', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 0, max: 400 }), (capacity, count) => {
      const ring = new HistoryRing(capacity);
      const pushed: HistoryRecord[] = [];
      for (let i = 0; i < count; i++) {
        const r = record(i);
        ring.push(r);
        pushed.push(r);
        if (i % 37 === 0 || i === count - 1) {
          const kept = ring.toArray();
          expect(kept.map((x) => x.seq)).toEqual(pushed.slice(Math.max(0, pushed.length - capacity)).map((x) => x.seq));
          kept.forEach((x) => expect(x).toBe(pushed[x.seq]));
        }
      }
      expect(ring.toArray()).toHaveLength(Math.min(capacity, count));
    }), { seed: 18, numRuns: 200 });
  });

  it('keeps them across the chunks it replaces with new arrays on long streams', () => {
    for (const capacity of [1, 64, 5000]) {
      const ring = new HistoryRing(capacity);
      const pushed: HistoryRecord[] = [];
      for (let i = 0; i < 20_000; i++) {
        const r = record(i);
        ring.push(r);
        pushed.push(r);
        if (i % 997 === 0) expect(ring.toArray()).toEqual(pushed.slice(Math.max(0, pushed.length - capacity)));
      }
    }
  });

  it('a ring of no records keeps none', () => {
    const ring = new HistoryRing(0);
    for (let i = 0; i < 5; i++) ring.push(record(i));
    expect(ring.toArray()).toEqual([]);
  });
});
