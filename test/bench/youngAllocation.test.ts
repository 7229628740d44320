/**
 * The young-generation allocation figure of bench/simSteps.ts (bench/youngAllocation.ts): it
 * counts what the code allocated across scavenges, not only what is left at the end.
 */
import { describe, expect, it } from 'vitest';
import { measureYoungAllocation } from '../../bench/youngAllocation.js';

describe('measureYoungAllocation', () => {
  it('counts every object allocated, across the scavenges that collect them', () => {
    const objects = 400_000;
    const { result, youngBytes, scavenges } = measureYoungAllocation(() => {
      let kept: { i: number; j: number }[] = [];
      let sum = 0;
      for (let i = 0; i < objects; i++) {
        kept.push({ i, j: i + 1 });
        if (kept.length === 1000) {
          sum += kept.length;
          kept = [];
        }
      }
      return sum;
    });
    expect(result).toBe(objects);
    // Each object is at least 16 bytes (a header and two fields, in any V8 build): far more in all
    // than a new space holds, so the figure is only right if it adds up across collections.
    expect(scavenges).toBeGreaterThan(0);
    expect(youngBytes).toBeGreaterThan(objects * 16);
    // And not wildly more: an object of two fields is at most 40 bytes, plus its share of the arrays.
    expect(youngBytes).toBeLessThan(objects * 40 * 3);
  });

  it('is zero, or nearly, for code that allocates nothing', () => {
    const numbers = new Int32Array(1000);
    const { youngBytes } = measureYoungAllocation(() => {
      for (let round = 0; round < 1000; round++) for (let i = 0; i < numbers.length; i++) numbers[i] = (numbers[i]! + i) | 0;
      return numbers[7];
    });
    expect(youngBytes).toBeLessThan(64 * 1024);
  });
});
