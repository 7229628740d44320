// Scenario invariants read only (src/actors/runView.ts: "Reads only; nothing here changes the
// machine, so an invariant cannot change the run it checks"): a write to device state through
// the view throws, naming the field, and leaves the state as it was; reads see the live state.
import { describe, expect, it } from 'vitest';
import { runView } from '../../src/actors/runView.js';
import { ReadOnlyStateError } from '../../src/actors/readOnlyState.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { RunAborted } from '../../src/actors/runFault.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { QUIET_CHOICES } from '../../src/vmm/choices.js';
import { defineDevice } from '../../src/vmm/device.js';
import { machine } from '../support/machine.js';

interface Rich {
  n: number;
  nested: { list: number[]; byVm: Record<string, number>; request: { bytes: number } | null };
  map: Map<string, { v: number }>;
  set: Set<number>;
  bytes: Uint8Array;
}

const rich = defineDevice<Rich>({
  name: 'rich',
  state: () => ({ n: 1, nested: { list: [1, 2], byVm: { 7: 3 }, request: null }, map: new Map([['a', { v: 1 }]]), set: new Set([4]), bytes: new Uint8Array([9, 8]) }),
  entries: ['poke'],
  procs: {
    poke(r) {
      r.state.n++;
      r.state.nested.request = { bytes: 512 };
    },
  },
});

function viewOfRich() {
  const m = machine({ devices: [rich] });
  return { m, view: runView(m.vmm), live: m.vmm.devices.find((d) => d.name === 'rich')!.state as Rich };
}

describe('view.device(): the live state, read-only', () => {
  it('reads see the live state, nested objects, arrays, Maps, Sets and typed arrays included', () => {
    const { m, view, live } = viewOfRich();
    const s = view.device<Rich>('rich');
    expect(s.n).toBe(1);
    m.runOps(1, m.trap('rich', 'poke'));
    expect(s.n).toBe(2);
    expect(s.nested.request?.bytes).toBe(512);
    expect(s.nested.list.map((x) => x * 2)).toEqual([2, 4]);
    expect([...s.nested.list]).toEqual([1, 2]);
    expect(s.nested.byVm[7]).toBe(3);
    expect(s.map.get('a')?.v).toBe(1);
    expect(s.map.size).toBe(1);
    expect([...s.map.entries()].map(([k, v]) => `${k}=${v.v}`)).toEqual(['a=1']);
    expect(s.set.has(4)).toBe(true);
    expect(s.bytes[0]).toBe(9);
    expect(Array.from(s.bytes.subarray(1))).toEqual([8]);
    expect(JSON.stringify(s.nested)).toBe(JSON.stringify(live.nested));
  });

  it('every kind of write throws, naming the field, and changes nothing', () => {
    const { view, live } = viewOfRich();
    const s = view.device<Rich>('rich');
    const writes: [string, () => unknown, RegExp][] = [
      ['assign', () => { s.n = 5; }, /^it wrote rich\.n: device state is read-only to invariants/],
      ['nested assign', () => { s.nested.byVm[7] = 0; }, /^it wrote rich\.nested\.byVm\[7\]/],
      ['array push', () => s.nested.list.push(3), /^it wrote rich\.nested\.list\[2\]/],
      ['array sort', () => s.nested.list.sort((a, b) => b - a), /^it wrote rich\.nested\.list\[0\]/],
      ['delete', () => { delete (s.nested as Partial<Rich['nested']>).request; }, /^it deleted rich\.nested\.request/],
      ['define', () => Object.defineProperty(s, 'x', { value: 1 }), /^it defined rich\.x/],
      ['prototype', () => Object.setPrototypeOf(s.nested, null), /^it changed the prototype of rich\.nested/],
      ['Map set', () => s.map.set('b', { v: 2 }), /^it called rich\.map\.set\(\)/],
      ['a Map value', () => { s.map.get('a')!.v = 7; }, /^it wrote rich\.map\.get\(\)\.v/],
      ['Set add', () => s.set.add(5), /^it called rich\.set\.add\(\)/],
      ['typed array element', () => { s.bytes[0] = 1; }, /^it wrote rich\.bytes\[0\]/],
      ['typed array fill', () => s.bytes.fill(0), /^it called rich\.bytes\.fill\(\)/],
    ];
    const before = JSON.stringify({ ...live, map: [...live.map], set: [...live.set], bytes: [...live.bytes] });
    for (const [what, write, message] of writes) {
      let thrown: unknown;
      try {
        write();
      } catch (error) {
        thrown = error;
      }
      expect({ what, name: (thrown as Error | undefined)?.name, message: (thrown as Error | undefined)?.message }).toEqual({ what, name: 'ReadOnlyStateError', message: expect.stringMatching(message) });
      expect(thrown).toBeInstanceOf(ReadOnlyStateError);
    }
    expect(JSON.stringify({ ...live, map: [...live.map], set: [...live.set], bytes: [...live.bytes] })).toBe(before);
  });

  it('a VM view gives no way to the machine: its fields are VM facts, the machine is private', () => {
    const { view } = viewOfRich();
    expect(Object.keys(view.vm(1)!).sort()).toEqual(['handle', 'id']);
    expect(Object.keys(view).sort()).toEqual(['step']);
    expect(() => { (view.vm(1) as { alive: boolean }).alive = false; }).toThrow(TypeError);
    expect(view.vm(1)!.alive).toBe(true);
  });

  it('in a run, the invariant that writes ends it as its own error (invariantThrew), naming the invariant and the field', () => {
    const scenario = (write: boolean) => defineScenario({
      name: 'writes', vms: 1, devices: [rich], steps: 20,
      invariants: [{ name: 'repairs', check: (view) => { if (write) view.device<Rich>('rich').n = 0; return undefined; } }],
    });
    let fault = null;
    try {
      runSim({ scenario: scenario(true), seed: 1, steps: 20, choices: QUIET_CHOICES });
    } catch (error) {
      fault = (error as RunAborted<unknown>).fault;
    }
    expect(fault).toMatchObject({ kind: 'invariantThrew', invariant: 'repairs', message: expect.stringMatching(/^invariant repairs threw: it wrote rich\.n: /) });
  });
});
