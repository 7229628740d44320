// The live-event table the lifecycle, dispatch-place, priority-order and boost rules share: one
// entry per handle held by any rule, found again by its handle whatever the collisions, gone
// when no rule holds it, and reused rather than made anew.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HOLDER, LiveEventTable } from '../../../src/vmm/checker/liveEvents.js';

/**
 * Handles of every sort the records may carry: checked and pooled encodings, 0, any 32-bit
 * value; and mostly a few small ones, so that the table stays small and crowded (entries that
 * share a home slot, removals from the middle of a run).
 */
const handleArb = fc.oneof(
  { arbitrary: fc.integer({ min: 0, max: 40 }), weight: 4 },
  { arbitrary: fc.constantFrom(0x30000, 0x30001, 0x50001, 0xc1000010, 0xc1000020, 0xffffffff), weight: 1 },
  { arbitrary: fc.integer({ min: 0, max: 0xffffffff }), weight: 1 },
);
const holderArb = fc.constantFrom(...Object.values(HOLDER));
/** Hold a handle, or release one the table holds (`pick` chooses which), so that runs of colliding entries form and break up. */
const opArb = fc.record({ hold: fc.boolean(), handle: handleArb, pick: fc.nat(), holder: holderArb });

describe('the live-event table', () => {
  it('holds what a Map of handle to holder bits would hold, through any sequence of holds and releases', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const table = new LiveEventTable();
        const model = new Map<number, number>();
        for (const { hold, handle: fresh, pick, holder } of ops) {
          const held = [...model.keys()];
          const handle = hold || held.length === 0 ? fresh : held[pick % held.length]!;
          if (hold) {
            table.hold(handle, holder);
            model.set(handle, (model.get(handle) ?? 0) | holder);
          } else {
            const e = table.find(handle);
            if (e !== null) table.release(e, holder);
            const left = (model.get(handle) ?? 0) & ~holder;
            if (left === 0) model.delete(handle);
            else model.set(handle, left);
          }
          // every handle of the universe answers as the model does, not only the one just touched
          for (const h of [handle, ...model.keys()]) {
            const e = table.find(h);
            expect(e === null ? 0 : e.holders).toBe(model.get(h) ?? 0);
            if (e !== null) expect(e.handle).toBe(h);
          }
        }
      }),
      { numRuns: 200, seed: 15 },
    );
  });

  it('keeps each rule\'s membership apart: an entry leaves only when the last rule lets go', () => {
    const table = new LiveEventTable();
    const e = table.hold(0x30001, HOLDER.live);
    expect(table.hold(0x30001, HOLDER.pendingPriority)).toBe(e);
    table.release(e, HOLDER.live);
    expect(table.holds(0x30001, HOLDER.live)).toBe(false);
    expect(table.holds(0x30001, HOLDER.pendingPriority)).toBe(true);
    table.release(e, HOLDER.pendingPriority);
    expect(table.find(0x30001)).toBeNull();
  });

  it('reuses the entries of ended events: a steady stream of events makes no new ones', () => {
    const table = new LiveEventTable();
    const seen = new Set<object>();
    for (let i = 0; i < 1000; i++) {
      const handle = ((i + 1) << 17) | 0x10000;
      const e = table.hold(handle, HOLDER.live);
      seen.add(e);
      table.release(e, HOLDER.live);
    }
    expect(seen.size).toBe(1);
  });

  it('grows past its first size and finds every entry after; clear() empties it', () => {
    const table = new LiveEventTable();
    const handles = Array.from({ length: 500 }, (_, i) => (i << 17) | 0x10000);
    for (const h of handles) table.hold(h, HOLDER.boosted);
    for (const h of handles) expect(table.find(h)?.handle).toBe(h);
    table.clear();
    for (const h of handles) expect(table.find(h)).toBeNull();
  });
});
