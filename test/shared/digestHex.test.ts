/**
 * The trace hash's text (every trace file and golden hash holds it): the digest's high lane then
 * its low lane, each as 8 lowercase hex digits. Held, for any words fed, to that definition
 * written with the built-in formatting.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Digest } from '../../src/shared/digest.js';

/** The lanes as `Digest` computes them (FNV-1a, two lanes), formatted by `toString(16)`. */
function reference(words: readonly number[]): string {
  let lo = 0x84222325 | 0;
  let hi = 0xcbf29ce4 | 0;
  for (const w of words) {
    lo = Math.imul(lo ^ (w | 0), 0x01000193);
    hi = Math.imul(hi ^ ((w | 0) ^ lo), 0x0100019d);
  }
  return (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

describe('Digest.hex', () => {
  it('is the high then the low lane, 8 lowercase hex digits each, for any words', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }), { maxLength: 40 }), (words) => {
      const digest = new Digest();
      for (const w of words) digest.word(w);
      expect(digest.hex()).toBe(reference(words));
      expect(digest.hex()).toMatch(/^[0-9a-f]{16}$/);
    }), { seed: 41, numRuns: 500 });
  });

  it('keeps leading zeros (a lane below 0x10000000)', () => {
    // Search a few words for a digest whose lanes start with a zero digit, so the padding is exercised.
    const withZero = Array.from({ length: 5000 }, (_, i) => [i]).find((words) => /^0|^.{8}0/.test(reference(words)));
    expect(withZero).toBeDefined();
    const digest = new Digest();
    for (const w of withZero!) digest.word(w);
    expect(digest.hex()).toBe(reference(withZero!));
  });
});
