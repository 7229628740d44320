// Stateful dfs may prune a state only when it is the same state, and may resume only from a
// snapshot that gives the same state back (src/state/statefulDfs.ts: "a pruned subtree is always
// one already searched: 'exhausted' stays exact"). Device code observes more than the digest
// once hashed: the iteration order of a Map, a Set or a plain object's keys, a named property on
// an array, a symbol-keyed property, a subclass's methods, a getter. An outside audit found
// each one (test/state/fixtures/order/): the buggy drivers were called exhausted and clean (exit
// 0) though stateless dfs and random find their bug within bounds, and the correct ones were
// "found" and NOT REPRODUCED (a snapshot restored a Map subclass as a Map, or an object's keys in
// another order), or ended in an internal error (a getter written back).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { digest } from '../../src/state/digest.js';
import { opaqueValue } from '../../src/state/opaqueState.js';
import { restoreSnapshot, takeSnapshot } from '../../src/state/snapshot.js';
import { contractBreaches, runInProcess } from '../cli/support/inProcess.js';

const out = mkdtempSync(join(tmpdir(), 'vmmsim-state-order-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));
const fixture = (name: string): string => fileURLToPath(new URL(`fixtures/order/${name}.mjs`, import.meta.url));

describe('stateful dfs against device state whose order or shape the code observes', () => {
  it.each([
    ['mapOrder2', 'bBeforeA'], ['setOrder', null], ['objectKeyOrder', null], ['arrayProp', null], ['symbolKey', null],
    ['arrayHole0', 'firstSlot'], ['arrayHole1', 'firstSlot'],
  ])('%s: the bug stateless dfs finds is found (never "exhausted", exit 0)', async (name, kind) => {
    const result = await runInProcess(['explore', fixture(name), '--strategy', 'dfs', '--iterations', '5000', '--no-shrink', '--out', out, '--json']);
    expect(contractBreaches(result)).toEqual([]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { found: boolean; violation: { kind: string }; notReproduced: string | null };
    expect(report.found).toBe(true);
    if (kind !== null) expect(report.violation.kind).toBe(kind);
    expect(report.notReproduced).toBeNull();
  }, 60_000);

  it.each(['keyRotate', 'mapSubclass', 'arraySubclass', 'getterOnly'])('%s (a correct driver): clean, exit 0, no false finding and no internal error', async (name) => {
    const result = await runInProcess(['explore', fixture(name), '--strategy', 'dfs', '--iterations', '5000', '--out', out, '--json']);
    expect(contractBreaches(result)).toEqual([]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
  }, 60_000);
});

describe('state stateful dfs cannot see: a device\'s module variable', () => {
  // An outside audit: "exhausted", no violation, exit 0, and nothing in the claim said the pruning
  // compared only the devices' state() objects; --stateless found the bug in 14 executions.
  it('the claim of a search that pruned says what it compared; --stateless finds the bug', async () => {
    const args = ['explore', fixture('moduleVariable'), '--strategy', 'dfs', '--irq-budget', '1', '--iterations', '5000', '--no-shrink', '--out', out, '--json'];
    const stateful = await runInProcess(args);
    expect(contractBreaches(stateful)).toEqual([]);
    const report = JSON.parse(stateful.stdout) as { found: boolean; confidence: { statement: string } | null; claim?: string; states: { pruned: number } };
    expect(stateful.code).toBe(0);
    expect(report.states.pruned).toBeGreaterThan(0);
    expect(stateful.stdout).toContain(`${report.states.pruned} executions were pruned at a state met before, and a state is the machine's and each device's state() object: state a device keeps elsewhere (a module variable, a closure) is not compared (--stateless does not prune)`);
    const stateless = await runInProcess([...args, '--stateless']);
    expect(stateless.code).toBe(1);
    expect((JSON.parse(stateless.stdout) as { violation: { kind: string } }).violation.kind).toBe('irqAtOne');
  }, 60_000);
});

describe('the pieces', () => {
  class Holder { constructor(readonly state: unknown) {} }
  const skip = { keys: new Map(), ordered: new Map<Function, ReadonlySet<string>>([[Holder, new Set(['state'])]]) };

  it('the digest hashes device state in iteration order, the rest sorted', () => {
    const ab = { m: new Map([['a', 1], ['b', 2]]), s: new Set(['a', 'b']), o: { a: 1, b: 2 } };
    const ba = { m: new Map([['b', 2], ['a', 1]]), s: new Set(['b', 'a']), o: { b: 2, a: 1 } };
    expect(digest(new Holder(ab), skip)).not.toBe(digest(new Holder(ba), skip));
    expect(digest(new Holder({ m: ab.m }), skip)).not.toBe(digest(new Holder({ m: ba.m }), skip));
    expect(digest({ x: ab }, skip)).toBe(digest({ x: ba }, skip));
  });

  it('an array\'s hole is not undefined: the digest tells them apart, a snapshot keeps the hole and restores it', () => {
    const holey = { q: new Array(2) as unknown[] };
    const filled = { q: [undefined, undefined] };
    expect(digest(new Holder(holey), skip)).not.toBe(digest(new Holder(filled), skip));
    const snapshot = takeSnapshot(holey, new Map());
    holey.q[0] = undefined;
    holey.q[1] = 7;
    restoreSnapshot(holey, snapshot, new Map());
    expect(holey.q.length).toBe(2);
    expect(0 in holey.q).toBe(false);
    expect(1 in holey.q).toBe(false);
    const restoredFilled = takeSnapshot(filled, new Map());
    filled.q.length = 0;
    restoreSnapshot(filled, restoredFilled, new Map());
    expect(0 in filled.q).toBe(true);
    expect(filled.q).toEqual([undefined, undefined]);
  });

  it('a snapshot gives a plain object its keys back in their order', () => {
    const live = { o: { a: 1, b: 2, c: 3 } };
    const snapshot = takeSnapshot(live, new Map());
    const inner = live.o as Record<string, number>;
    delete inner['a'];
    inner['a'] = 9;
    restoreSnapshot(live, snapshot, new Map());
    expect(Object.keys(live.o)).toEqual(['a', 'b', 'c']);
    expect(live.o).toEqual({ a: 1, b: 2, c: 3 });
    expect(live.o).toBe(inner);
  });

  it('state a snapshot or the digest would lose is named, so the search goes stateless', () => {
    class Queue extends Map<string, number> {}
    class List extends Array<number> {}
    const named = Object.assign([1, 2], { first: 3 });
    const hidden = Object.defineProperty({}, 'x', { value: 1, enumerable: false });
    const getter = { get busy() { return true; } };
    expect(opaqueValue({ q: new Queue() })).toMatch(/a subclass of Map/);
    expect(opaqueValue({ l: List.from([1]) })).toMatch(/a subclass of Array/);
    expect(opaqueValue({ a: named })).toMatch(/an array with a named property first/);
    expect(opaqueValue({ [Symbol('s')]: 1 })).toMatch(/symbol-keyed property/);
    expect(opaqueValue({ h: hidden })).toMatch(/non-enumerable property/);
    expect(opaqueValue({ g: getter })).toMatch(/property busy is a getter or setter/);
    expect(opaqueValue({ a: [1, 2, [3]], m: new Map([['k', [1]]]) })).toBeNull();
  });
});
