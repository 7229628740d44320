/**
 * The generator's draws are part of every trace (the strategies' choices, the workload's ops), so
 * they must not change: golden values taken before the in-place reseed and the string-free
 * child seeds, a generator reseeded in place against a new one, and the indexed child seed
 * against the string label it stands for.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { childSeed, childSeedIndexed, Rng } from '../../src/shared/rng.js';

/** seed → its first three draws, childSeed(seed, 'iter0'), childSeed(seed, 'iter12345'), the first draw of child('pic'). */
const GOLDEN: [number, [number, number, number], number, number, number][] = [
  [0, [4205396811, 3543653536, 1222415357], 4044127, 1162041061, 1705782848],
  [1, [1828152527, 3394835397, 2967886022], 2179397366, 3070288628, 436063988],
  [0xdeadbeef, [2442117875, 788981206, 3066316946], 2298614722, 1379026890, 1968672165],
  [0xffffffff, [1413747962, 91561161, 3282502067], 2624401194, 2724122370, 755977208],
];

const draws = (rng: Rng, n: number): number[] => Array.from({ length: n }, () => rng.nextU32());

describe('Rng', () => {
  it('draws the golden streams and child seeds', () => {
    for (const [seed, first, iter0, iter12345, pic] of GOLDEN) {
      expect(draws(new Rng(seed), 3)).toEqual(first);
      expect(childSeed(seed, 'iter0')).toBe(iter0);
      expect(childSeed(seed, 'iter12345')).toBe(iter12345);
      expect(new Rng(seed).child('pic').nextU32()).toBe(pic);
    }
  });

  it('reseeded in place, draws what a new generator on that seed draws', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 50 }), (first, second, used) => {
        const kept = new Rng(first);
        draws(kept, used);
        expect(kept.reseed(second).seed).toBe(second);
        expect(draws(kept, 20)).toEqual(draws(new Rng(second), 20));
        expect(kept.child('x').nextU32()).toBe(new Rng(second).child('x').nextU32());
      }),
      { seed: 7, numRuns: 200 },
    );
  });

  it('derives the indexed child seed of the label the index would spell', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.constantFrom('iter', 'vm', ''),
        fc.oneof(fc.nat(), fc.maxSafeNat(), fc.constantFrom(0, 9, 10, 99, 100, Number.MAX_SAFE_INTEGER, -1, 1.5, 1e21, Number.NaN)),
        (seed, label, index) => {
          expect(childSeedIndexed(seed, label, index)).toBe(childSeed(seed, `${label}${index}`));
        },
      ),
      { seed: 11, numRuns: 500 },
    );
  });
});
