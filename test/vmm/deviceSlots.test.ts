// A device's shared handle slots, found by name at every use: each name is its own word, whether
// the device has a few slots (their names scanned) or many (a map asked), and a name the device
// did not declare is refused with the device's name and the slot's.
import { describe, expect, it } from 'vitest';
import { testDevice } from '../support/devices.js';
import { machine } from '../support/machine.js';

function slotsDevice(names: string[], seen: number[]) {
  return testDevice('slotted', {
    writeAll: (r) => names.forEach((name, i) => r.slot(name).write(100 + i)),
    readAll: (r) => void seen.push(...names.map((name) => r.slot(name).read())),
    // A name built at run time (not an interned literal) finds its slot too.
    readBuilt: (r) => void seen.push(r.slot(['s', String(names.length - 1)].join('')).read()),
    unknown: (r) => void r.slot('nope'),
  }, { slots: names });
}

describe('device slots by name', () => {
  for (const count of [1, 3, 8, 9, 20]) {
    it(`${count} slots: each name reads what was written to it`, () => {
      const names = Array.from({ length: count }, (_, i) => `s${i}`);
      const seen: number[] = [];
      const m = machine({ devices: [slotsDevice(names, seen)] });
      m.runOps(1, m.trap('slotted', 'writeAll'), m.trap('slotted', 'readAll'), m.trap('slotted', 'readBuilt'));
      expect(seen).toEqual([...names.map((_, i) => 100 + i), 100 + count - 1]);
      expect(m.finish().vmmBugs).toBe(0);
    });
  }

  for (const count of [2, 12]) {
    it(`${count} slots: a name the device did not declare is refused, naming both`, () => {
      const names = Array.from({ length: count }, (_, i) => `s${i}`);
      const m = machine({ devices: [slotsDevice(names, [])] });
      expect(() => m.runOps(1, m.trap('slotted', 'unknown'))).toThrow(/device slotted has no slot nope/);
    });
  }

  it('a slot named twice (a scenario refuses it; a machine built without one does not) still gives every name its own word', () => {
    // Each name's word was its last place in the list, and the words as many as the distinct
    // names: ['a', 'a', 'b'] gave 'b' word 2 of 2, and what was written to it was lost.
    const seen: number[] = [];
    const names = ['a', 'a', 'b'];
    const m = machine({ devices: [slotsDevice(names, seen)] });
    m.runOps(1, m.trap('slotted', 'writeAll'), m.trap('slotted', 'readAll'));
    expect(seen).toEqual([101, 101, 102]);
    expect(m.finish().vmmBugs).toBe(0);
  });
});
