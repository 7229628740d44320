// How long a scenario module may take to load before it is reported as never finishing
// (src/scenario/importModule.ts): a slow machine is not an endless loop.
import { describe, expect, it } from 'vitest';
import { loadBoundMs } from '../../src/scenario/importModule.js';

describe('the scenario load bound', () => {
  it('is 15 s on a machine with a CPU to spare', () => {
    expect(loadBoundMs(undefined, 0)).toBe(15_000);
    expect(loadBoundMs(undefined, 1)).toBe(15_000);
  });

  it('grows with the load per CPU (load 40 on 2 CPUs: 20 × 15 s)', () => {
    expect(loadBoundMs(undefined, 20)).toBe(300_000);
    expect(loadBoundMs(undefined, 1.5)).toBe(22_500);
  });

  it('is exactly VMMSIM_LOAD_BOUND_MS when that is a positive integer, whatever the load', () => {
    expect(loadBoundMs('1500', 20)).toBe(1500);
  });

  it('ignores a VMMSIM_LOAD_BOUND_MS that is not a positive integer', () => {
    for (const text of ['', '0', '-5', '1.5', 'soon']) expect(loadBoundMs(text, 2)).toBe(30_000);
  });
});
