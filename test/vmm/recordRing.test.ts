/**
 * The ring the core makes its records in (src/vmm/recordRing.ts): whatever the kinds' order and
 * the capacity, its tail is the last `capacity` records made, each as it was made, as copies that
 * later records do not touch.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KIND_NAMES } from '../../src/vmm/recordKinds.js';
import { RecordRing } from '../../src/vmm/recordRing.js';
import type { HistoryRecord } from '../../src/vmm/history.js';

interface Made { k: string; seq: number; ticks: number }

/** Makes records of the given kinds in the ring, as the core does (every field written), and the plain list of them. */
function make(ring: RecordRing, kinds: readonly number[], from: number, made: Made[]): void {
  kinds.forEach((kind, i) => {
    const record = ring.next(kind);
    record.seq = from + i;
    record.ticks = (from + i) * 3;
    made.push({ k: KIND_NAMES[kind]!, seq: record.seq, ticks: record.ticks });
  });
}

const view = (records: readonly HistoryRecord[]): Made[] => records.map((r) => ({ k: r.k, seq: r.seq, ticks: r.ticks }));
const kindsArb = fc.array(fc.nat(KIND_NAMES.length - 1), { maxLength: 400 });

describe('RecordRing', () => {
  it('its tail is the last `capacity` records made, oldest first, whatever the order of kinds', () => {
    fc.assert(fc.property(fc.nat(70), kindsArb, (capacity, kinds) => {
      const ring = new RecordRing(capacity);
      const made: Made[] = [];
      make(ring, kinds, 0, made);
      expect(view(ring.toArray())).toEqual(capacity === 0 ? [] : made.slice(-capacity));
    }), { seed: 15, numRuns: 300 });
  });

  it('hands each kind an object of that kind\'s shape, and the tail as copies later records do not change', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), kindsArb, kindsArb, (capacity, before, after) => {
      const ring = new RecordRing(capacity);
      const made: Made[] = [];
      make(ring, before, 0, made);
      const tail = ring.toArray();
      const seen = view(tail);
      for (const record of tail) expect(Object.keys(record)).toEqual(Object.keys(ring.next(KIND_NAMES.indexOf(record.k))));
      make(ring, after, before.length + tail.length, made);
      expect(view(tail)).toEqual(seen);
    }), { seed: 16, numRuns: 200 });
  });

  it('after `clear` its tail holds only the records made since', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 40 }), kindsArb, kindsArb, (capacity, before, after) => {
      const ring = new RecordRing(capacity);
      make(ring, before, 0, []);
      ring.clear();
      const made: Made[] = [];
      make(ring, after, 1000, made);
      expect(view(ring.toArray())).toEqual(made.slice(-capacity));
    }), { seed: 17, numRuns: 200 });
  });

  it('a ring that keeps no tail reuses one object per kind', () => {
    const ring = new RecordRing(0);
    const first = ring.next(3);
    ring.next(4);
    expect(ring.next(3)).toBe(first);
    expect(ring.toArray()).toEqual([]);
  });
});
