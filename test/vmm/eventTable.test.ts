// Event nodes and handles (SPEC §3 "Handles and cancelling"): "A handle is non-zero and
// identifies one pending event"; "(model choice) Handles come from a pool of event nodes ...
// but carry a generation tag so that a stale cancel ... is always detected"; "A pooled handle
// mode ... (a stale handle silently cancels whatever event now occupies the node)".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EventTable, HANDLES_BEFORE_REUSE, type EventNode, type HandleMode } from '../../src/vmm/eventTable.js';

type Action = { op: 'allocate' } | { op: 'release'; pick: number } | { op: 'probe'; handle: number };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
  { arbitrary: fc.constant({ op: 'allocate' as const }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('release' as const), pick: fc.nat() }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('probe' as const), handle: fc.integer({ min: 0, max: 0xffffffff }) }), weight: 1 },
);

/** Runs the actions; returns the live nodes and every handle that was released. */
function drive(mode: HandleMode, actions: Action[], capacity = 64) {
  const table = new EventTable(mode, capacity);
  const live: EventNode[] = [];
  const released: number[] = [];
  for (const a of actions) {
    if (a.op === 'allocate') {
      const node = table.allocate('global', 0xc0000000, 0, 0);
      if (live.length >= capacity) expect(node).toBeUndefined();
      else live.push(node!);
    } else if (a.op === 'release' && live.length > 0) {
      const [node] = live.splice(a.pick % live.length, 1);
      released.push(node!.handle);
      table.release(node!);
    } else if (a.op === 'probe') {
      const found = table.lookup(a.handle);
      if (found.status === 'live') expect(live.map((n) => n.handle)).toContain(found.node.handle);
    }
    expect(table.live).toBe(live.length);
  }
  return { table, live, released };
}

describe('EventTable', () => {
  it.each(['checked', 'pooled'] as const)('property (%s): live handles are non-zero, unique, and look up to their own node', (mode) => {
    fc.assert(fc.property(fc.array(actionArb, { maxLength: 200 }), (actions) => {
      const { table, live } = drive(mode, actions);
      const handles = live.map((n) => n.handle);
      expect(handles.every((h) => h !== 0)).toBe(true);
      expect(new Set(handles).size).toBe(handles.length);
      for (const node of live) expect(table.lookup(node.handle)).toEqual({ status: 'live', node });
    }));
  });

  it('property (checked): every released handle stays detectable as stale, even once its node is reused', () => {
    fc.assert(fc.property(fc.array(actionArb, { maxLength: 200 }), (actions) => {
      const { table, live, released } = drive('checked', actions);
      const liveHandles = new Set(live.map((n) => n.handle));
      for (const handle of released) {
        expect(liveHandles.has(handle)).toBe(false);
        expect(table.lookup(handle).status).toBe('stale');
      }
    }));
  });

  it('property (pooled): a handle names only its node: a released handle reaches whatever event now lives there', () => {
    fc.assert(fc.property(fc.array(actionArb, { maxLength: 200 }), (actions) => {
      const { table, live, released } = drive('pooled', actions);
      const byHandle = new Map(live.map((n) => [n.handle, n]));
      for (const handle of released) {
        const found = table.lookup(handle);
        const occupant = byHandle.get(handle);
        if (occupant !== undefined) expect(found).toEqual({ status: 'live', node: occupant });
        else expect(found.status).toBe('stale');
      }
    }));
  });

  it('nodes are reused last-freed-first: pooled handles repeat the node address, checked ones change generation', () => {
    for (const mode of ['pooled', 'checked'] as const) {
      const table = new EventTable(mode, 8);
      const a = table.allocate('global', 1, 0, 0)!;
      const b = table.allocate('vm', 1, 0, 1)!;
      const [handleA, handleB] = [a.handle, b.handle];
      table.release(a);
      table.release(b);
      const c = table.allocate('priority', 1, 0, 2)!;
      expect(c.index).toBe(b.index);
      if (mode === 'pooled') expect(c.handle).toBe(handleB);
      else {
        expect(c.handle).not.toBe(handleB);
        expect(c.handle & 0xffff).toBe(handleB & 0xffff);
      }
      expect(table.lookup(handleA).status).toBe('stale');
    }
  });

  it('handle 0 and numbers that were never handles are invalid, never live', () => {
    for (const mode of ['checked', 'pooled'] as const) {
      const table = new EventTable(mode, 8);
      table.allocate('global', 1, 0, 0);
      expect(table.lookup(0).status).toBe('invalid');
      expect(table.lookup(0x12345678).status).toBe('invalid');
    }
  });

  it('a full pool allocates nothing; releasing twice is a programming error', () => {
    const table = new EventTable('checked', 2);
    const a = table.allocate('global', 1, 0, 0)!;
    table.allocate('global', 1, 0, 1);
    expect(table.allocate('global', 1, 0, 2)).toBeUndefined();
    table.release(a);
    expect(() => table.release(a)).toThrow(/twice/);
    expect(() => new EventTable('checked', 0)).toThrow(RangeError);
  });

  it('"a stale cancel ... is always detected": a handle saved while one node is reused 32,767 times and more (its 15-bit generation spent) stays stale', () => {
    // One event pending at a time: last-freed-first reuse gives every event the same node.
    const table = new EventTable('checked', 8);
    const first = table.allocate('global', 1, 0, 0)!;
    const saved = first.handle;
    table.release(first);
    const seen = new Set<number>([saved]);
    for (let i = 1; i <= 3 * 0x7fff; i++) {
      const node = table.allocate('global', 1, 0, i)!;
      // No handle comes back while fewer than HANDLES_BEFORE_REUSE (~2^31) were issued.
      expect(seen.has(node.handle)).toBe(false);
      seen.add(node.handle);
      expect(table.lookup(saved).status).toBe('stale');
      table.release(node);
    }
    // The spent nodes were retired for new indexes: a handful, not one per event.
    expect(table.lookup(saved).status).toBe('stale');
  });

  it('retired nodes count against no capacity: a pool of 2 still holds 2 live events after its first nodes are spent', () => {
    const table = new EventTable('checked', 2);
    for (let i = 0; i < 0x7fff + 2; i++) table.release(table.allocate('global', 1, 0, i)!);
    const a = table.allocate('global', 1, 0, 0);
    const b = table.allocate('global', 1, 0, 1);
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a!.handle).not.toBe(b!.handle);
    expect(table.allocate('global', 1, 0, 2)).toBeUndefined();
    expect(HANDLES_BEFORE_REUSE).toBe(0x10000 * 0x7fff);
  });
});
