// Stateful dfs compares states by their digest and resumes from snapshots (src/state/statefulDfs.ts:
// "a pruned subtree is always one already searched: 'exhausted' stays exact"). Both walk own
// enumerable fields only: device state in a class instance's #private fields, a closure, a Date
// is invisible to them, so two states differing only there were one, and the search said "the
// bounded space is exhausted ... no violation found" for a bug stateless dfs finds. Such state now
// turns the search stateless (every prefix re-executed), and the report says so.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { opaqueValue, STATE_DEPTH_MAX } from '../../src/state/opaqueState.js';
import { contractBreaches, runInProcess } from '../cli/support/inProcess.js';

describe('opaqueValue: what the state digest cannot see', () => {
  it('plain data is seen: primitives, arrays, plain and null-prototype objects, Maps, Sets, typed arrays, buffers, cycles', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic['self'] = cyclic;
    for (const value of [0, 'x', null, undefined, 5n, [1, [2]], { a: { b: [3] } }, Object.create(null), new Map([[1, { x: 2 }]]), new Set([1]), new Uint8Array(4), new ArrayBuffer(8), new DataView(new ArrayBuffer(4)), cyclic]) {
      expect(opaqueValue(value)).toBeNull();
    }
  });

  it('a class instance, a function, a symbol, a Date or a WeakMap, however deep, is named', () => {
    class Counter { #n = 0; bump(): number { return ++this.#n; } }
    expect(opaqueValue({ list: [{ c: new Counter() }] })).toMatch(/^an instance of Counter \(its private fields/);
    expect(opaqueValue({ f: () => 1 })).toMatch(/^a function/);
    expect(opaqueValue([Symbol('s')])).toMatch(/^a symbol/);
    expect(opaqueValue(new Map([['k', new Date(0)]]))).toMatch(/^an instance of Date/);
    expect(opaqueValue(new Set([new WeakMap()]))).toMatch(/^an instance of WeakMap/);
  });

  it('a structure nested past the digest\'s depth (a long linked list) is named, judged without recursion; one level less is plain', () => {
    const list = (nodes: number): unknown => {
      let head: unknown = null;
      for (let i = 0; i < nodes; i++) head = { next: head, i };
      return head;
    };
    // The root is level 0: node k is at level k, its fields at level k + 1.
    expect(opaqueValue(list(STATE_DEPTH_MAX))).toBeNull();
    expect(opaqueValue(list(STATE_DEPTH_MAX + 1))).toMatch(/^a structure nested more than 2000 levels deep/);
    // 200,000 nodes: a recursive walk overflowed the stack long before.
    expect(opaqueValue({ free: list(200_000) })).toMatch(/nested more than/);
    // Wide is not deep.
    expect(opaqueValue({ big: Array.from({ length: 100_000 }, (_, i) => ({ i })) })).toBeNull();
  });
});

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-opaque-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The bug: an IRQ between the first and the second poke, kept in private fields (PUBLIC: in a plain object).
const hidden = (plain: boolean) => `
class Hidden { #pokes = 0; #between = false;
  poke() { this.#pokes++; return this.#pokes === 2 && this.#between; }
  irq() { if (this.#pokes === 1) this.#between = true; } }
const plain = () => ({ pokes: 0, between: false });
export default { name: 'hidden', vms: 1, steps: 10, mix: { run: 50, trap: 50, interruptFlag: 0, iret: 0, mode: 0, runTicksMean: 20 },
  devices: [{ name: 'd', state: () => (${plain ? 'plain()' : 'new Hidden()'}), entries: ['poke'],
    irqs: [{ irq: 5, hwIntProc: 'h', meanIntervalTicks: 40 }],
    procs: {
      poke(r) { const s = r.state; const bug = ${plain ? '(s.pokes++, s.pokes === 2 && s.between)' : 's.poke()'}; if (bug) r.fail('irqBetween', 'an IRQ between the first two pokes'); },
      h(r) { r.takeHardwareRequest(5); ${plain ? 'if (r.state.pokes === 1) r.state.between = true' : 'r.state.irq()'}; r.physEoi(r.irqHandle(5)); },
    } }] };
`;

describe('stateful dfs on state it cannot see', () => {
  it.each([2, 3, 4])('seed %i: finds the bug hidden in private fields, as with the same state in plain fields, and says it ran stateless', async (seed) => {
    const results = [];
    for (const plain of [false, true]) {
      const path = join(dir, `hidden-${plain ? 'plain' : 'private'}.mjs`);
      writeFileSync(path, hidden(plain));
      const result = await runInProcess(['explore', path, '--seed', String(seed), '--strategy', 'dfs', '--irq-budget', '1', '--preemption-bound', '0', '--iterations', '20000', '--out', join(dir, 'out')]);
      expect(contractBreaches(result)).toEqual([]);
      results.push(result);
    }
    const [hiddenRun, plainRun] = results;
    expect(plainRun!.code).toBe(1);
    expect(plainRun!.stdout).toMatch(/FOUND device bug irqBetween/);
    expect(plainRun!.stdout).not.toMatch(/states not compared/);
    expect(hiddenRun!.code).toBe(1);
    expect(hiddenRun!.stdout).toMatch(/FOUND device bug irqBetween/);
    expect(hiddenRun!.stdout).toMatch(/\n {2}states not compared from execution 1 on: device d's state holds an instance of Hidden \(its private fields and internal slots are not walked\); every execution ran from step 0 \(stateless dfs, still exhaustive\)\n/);
    expect(hiddenRun!.stdout).not.toMatch(/NOT REPRODUCED/);
  });

  it('a device state holding a free list of 20,000 nodes: the search runs stateless and says why (it overflowed the stack, exit 70)', async () => {
    const path = join(dir, 'freeList.mjs');
    writeFileSync(path, `export default { name: 'x', vms: 2, steps: 50, devices: [{ name: 'dev', entries: ['poke'],
      state: () => { let free = null; for (let i = 0; i < 20000; i++) free = { next: free, i }; return { free, n: 0 }; },
      procs: { poke(r) { r.state.n++; } } }] };\n`);
    const result = await runInProcess(['explore', path, '--strategy', 'dfs', '--steps', '6', '--iterations', '300', '--out', join(dir, 'out')]);
    expect(contractBreaches(result)).toEqual([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/states not compared from execution 1 on: device dev's state holds a structure nested more than 2000 levels deep/);
  });
});
