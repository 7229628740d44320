// Client ops have a fixed three-word encoding for the shared-memory queue: every op survives it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeOp, describeOp, encodeOp, type ClientOp } from '../../src/vmm/clientOps.js';

const opArb: fc.Arbitrary<ClientOp> = fc.oneof(
  fc.record({ op: fc.constant('run' as const), ticks: fc.integer({ min: 0, max: 0x7fffffff }) }),
  fc.record({ op: fc.constant('trap' as const), device: fc.nat(0xffff), entry: fc.nat(0xffff), arg: fc.nat(0xffff) }),
  fc.constant({ op: 'cli' as const }),
  fc.constant({ op: 'sti' as const }),
  fc.constant({ op: 'iret' as const }),
  fc.record({ op: fc.constant('mode' as const), pm: fc.boolean() }),
  fc.constant({ op: 'eoi' as const }),
  fc.record({ op: fc.constant('mask' as const), irq: fc.nat(40), masked: fc.boolean() }),
);

describe('client op encoding', () => {
  it('property: decode(encode(op)) = op, in an Int32Array at any position', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 20 }), (ops) => {
      const words = new Int32Array(ops.length * 3);
      ops.forEach((op, i) => encodeOp(op, words, i * 3));
      expect(ops.map((_, i) => decodeOp(words, i * 3))).toEqual(ops);
    }), { seed: 0xc0de });
  });

  it('decodes a trap into a new object each time (the core may keep one across steps), the other ops into shared ones', () => {
    const words = new Int32Array(3);
    encodeOp({ op: 'trap', device: 1, entry: 2, arg: 3 }, words);
    expect(decodeOp(words)).not.toBe(decodeOp(words));
    for (const op of [{ op: 'run', ticks: 9 }, { op: 'sti' }, { op: 'mode', pm: true }, { op: 'mask', irq: 3, masked: true }] as ClientOp[]) {
      encodeOp(op, words);
      expect(decodeOp(words)).toBe(decodeOp(words));
      expect(decodeOp(words)).toEqual(op);
    }
  });

  it('an unknown opcode is refused', () => {
    expect(() => decodeOp([99, 0, 0])).toThrow(/unknown client opcode/);
  });

  it('describes ops for people', () => {
    expect(describeOp({ op: 'trap', device: 2, entry: 1, arg: 7 })).toBe('trap 2.1(7)');
    expect(describeOp({ op: 'mode', pm: true })).toBe('mode pm');
    expect(describeOp({ op: 'run', ticks: 5 })).toBe('run 5');
    expect(describeOp({ op: 'iret' })).toBe('iret');
  });
});
