// The digest walks each shape of object by a plan made once (digest.ts: the fields sorted, the
// skipped ones out, their names' hashes), and the machine's event nodes by a fixed list of their
// state fields (machine.ts). A plan reused for an object of another shape would hash the wrong
// fields: two different states would be one, and stateful dfs would prune a state it never
// explored ("a collision would prune a state never explored").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../src/actors/runLoop.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { digest, type DigestSkip } from '../../src/state/digest.js';
import { MACHINE_SKIP, runLoopDigest } from '../../src/state/machine.js';
import type { EventNode } from '../../src/vmm/eventTable.js';

const NO_SKIP: DigestSkip = { keys: new Map() };

describe('digest plans: one per shape, never reused for another', () => {
  it('two instances of one class with the same number of fields but different names digest apart', () => {
    class Box {
      x = 1;
    }
    // The first shape met makes the class's plan: x and y.
    const a = Object.assign(new Box(), { y: 2 });
    const first = digest(a, NO_SKIP);
    // Read by that plan, these two would both be x = 1, y = undefined: one state.
    const b = Object.assign(new Box(), { z: 2 });
    const c = Object.assign(new Box(), { z: 3 });
    expect(digest(b, NO_SKIP)).not.toBe(digest(c, NO_SKIP));
    expect(digest(b, NO_SKIP)).not.toBe(digest(Object.assign(new Box(), { y: undefined }), NO_SKIP));
    // And each is the same state as an object of its own shape met after the other.
    expect(digest(Object.assign(new Box(), { y: 2 }), NO_SKIP)).toBe(first);
    expect(digest(b, NO_SKIP)).toBe(digest(Object.assign(new Box(), { z: 2 }), NO_SKIP));
  });

  it('a class field named in the skip is left out, its other fields are not', () => {
    class Counter {
      value = 0;
      seen = 0;
    }
    const skip: DigestSkip = { keys: new Map([[Counter, new Set(['seen'])]]) };
    const one = Object.assign(new Counter(), { value: 3, seen: 1 });
    expect(digest(one, skip)).toBe(digest(Object.assign(new Counter(), { value: 3, seen: 9 }), skip));
    expect(digest(one, skip)).not.toBe(digest(Object.assign(new Counter(), { value: 4, seen: 1 }), skip));
  });

  it('plain objects: the same fields in any insertion order are one state; any other field or value is another (property)', () => {
    const record = fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd', 'e'), fc.integer({ min: -3, max: 3 }), { maxKeys: 5 });
    fc.assert(fc.property(record, record, (x, y) => {
      const reversed = Object.fromEntries(Object.entries(x).reverse());
      expect(digest({ s: x }, NO_SKIP)).toBe(digest({ s: reversed }, NO_SKIP));
      const equal = Object.keys(x).length === Object.keys(y).length && Object.entries(x).every(([k, v]) => k in y && y[k] === v);
      expect(digest({ s: x }, NO_SKIP) === digest({ s: y }, NO_SKIP)).toBe(equal);
    }), { seed: 15, numRuns: 500 });
  });
});

describe("the machine's event nodes", () => {
  /** A machine with live and free nodes in its handle table (the default scenario schedules and cancels). */
  function machine(): { loop: RunLoop; live: EventNode; free: EventNode } {
    const scenario = defaultScenario();
    for (let seed = 1; seed < 50; seed++) {
      const loop = new RunLoop({ scenario, seed, choices: defaultStrategy(scenario, seed).choices });
      for (let i = 0; i < 400; i++) {
        loop.step();
        const nodes = (loop.vmm.table as unknown as { nodes: EventNode[] }).nodes;
        const live = nodes.find((n) => n.live);
        const free = nodes.find((n) => !n.live);
        if (live !== undefined && free !== undefined) return { loop, live, free };
      }
    }
    throw new Error('no machine with a live and a free node');
  }

  it('a live node: every field is state but the history seq of its scheduling', () => {
    const { loop, live } = machine();
    const before = runLoopDigest(loop);
    live.scheduledSeq += 1000;
    expect(runLoopDigest(loop)).toBe(before);
    for (const field of ['handle', 'generation', 'callback', 'refData', 'vm', 'boost', 'flags', 'deadlineTicks', 'index'] as const) {
      const was = live[field];
      live[field] = was + 1;
      expect(runLoopDigest(loop), field).not.toBe(before);
      live[field] = was;
    }
    const kind = live.kind;
    live.kind = kind === 'global' ? 'vm' : 'global';
    expect(runLoopDigest(loop)).not.toBe(before);
    live.kind = kind;
    expect(runLoopDigest(loop)).toBe(before);
  });

  it('a free node: only its index and generation (what decides its next handle) are state', () => {
    const { loop, free } = machine();
    const before = runLoopDigest(loop);
    free.callback += 1;
    free.refData += 1;
    free.scheduledSeq += 1;
    expect(runLoopDigest(loop)).toBe(before);
    free.generation += 1;
    expect(runLoopDigest(loop)).not.toBe(before);
  });

  it('the skip names only fields the classes have (a renamed field would be walked again, silently)', () => {
    expect(MACHINE_SKIP.fieldsOf).toBeDefined();
    for (const [ctor, fields] of MACHINE_SKIP.keys) {
      const source = ctor.toString();
      for (const field of fields) expect(source, `${ctor.name}.${field}`).toMatch(new RegExp(`\\b${field}\\b`));
    }
  });
});
