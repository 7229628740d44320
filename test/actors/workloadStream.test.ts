/**
 * The workload draws with integer comparisons and shares the ops with few possible values, for
 * speed; the op stream must stay the one the seeds always gave (replays, golden trace hashes and
 * threaded runs depend on it). Held here to the definition (test/support/workloadOracle.ts):
 * float arithmetic on [0, total), unsigned sfc32 words, a new object per op.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MIX, Workload, type EntryPoint, type WorkloadMix } from '../../src/actors/workload.js';
import { Rng } from '../../src/shared/rng.js';
import { OracleRng, OracleWorkload } from '../support/workloadOracle.js';

const ENTRIES: EntryPoint[] = [{ device: 0, entry: 0 }, { device: 0, entry: 1 }, { device: 2, entry: 0 }];
const IRQS = [1, 3, 4, 12];

function firstDifference(seed: number, mix: WorkloadMix, entries: EntryPoint[], irqs: number[], ops: number): unknown {
  const fast = new Workload(new Rng(seed), entries, mix, irqs);
  const oracle = new OracleWorkload(new OracleRng(seed), entries, mix, irqs);
  for (let i = 0; i < ops; i++) {
    const a = fast.next();
    const b = oracle.next();
    if (JSON.stringify(a) !== JSON.stringify(b)) return { i, fast: a, oracle: b };
  }
  return null;
}

/**
 * Makes a generator (the workload's or the oracle's), once built, draw the given 32-bit values in
 * a loop: a pick exactly at a boundary between two kinds.
 */
function scripted<R extends { nextU32(): number }>(rng: R, values: number[]): R {
  let i = 0;
  rng.nextU32 = () => values[i++ % values.length]!;
  return rng;
}

/** The draws next to each boundary between two kinds' shares of [0, 2^32). */
function boundaryDraws(mix: WorkloadMix, withEntries: boolean, withIrqs: boolean): number[] {
  const weights = [mix.run, withEntries ? mix.trap : 0, mix.interruptFlag, mix.iret, mix.eoi, withIrqs ? mix.mask : 0, mix.mode];
  const total = weights.reduce((a, b) => a + b, 0);
  const draws: number[] = [0, 2 ** 32 - 1];
  let sum = 0;
  for (const w of weights) {
    sum += w;
    const at = Math.floor((sum / total) * 2 ** 32);
    for (let d = -3; d <= 3; d++) if (at + d >= 0 && at + d < 2 ** 32) draws.push(at + d);
  }
  return draws;
}

describe('Workload op stream', () => {
  it('picks as the definition does at the very draws where one kind ends and the next begins', () => {
    const weight = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 50, noNaN: true }));
    const mix = fc.record({ run: weight, trap: weight, interruptFlag: weight, iret: weight, eoi: weight, mask: weight, mode: weight, runTicksMean: fc.constant(60) });
    fc.assert(fc.property(mix, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 2 ** 32 - 1 }), (m, withEntries, withIrqs, after) => {
      const entries = withEntries ? ENTRIES : [];
      const irqs = withIrqs ? IRQS : [];
      const total = m.run + (withEntries ? m.trap : 0) + m.interruptFlag + m.iret + m.eoi + (withIrqs ? m.mask : 0) + m.mode;
      fc.pre(total > 0);
      for (const u of boundaryDraws(m, withEntries, withIrqs)) {
        const fast = new Workload(scripted(new Rng(0), [u, after]), entries, m, irqs).next();
        const oracle = new OracleWorkload(scripted(new OracleRng(0), [u, after]), entries, m, irqs).next();
        expect({ u, op: fast }).toEqual({ u, op: oracle });
      }
    }), { seed: 17, numRuns: 300 });
  });

  it('sfc32 on int32 words gives the unsigned stream', () => {
    fc.assert(fc.property(fc.integer(), (seed) => {
      const fast = new Rng(seed);
      const oracle = new OracleRng(seed);
      for (let i = 0; i < 200; i++) expect(fast.nextU32()).toBe(oracle.nextU32());
    }), { seed: 15, numRuns: 100 });
  });

  it('the default mix gives the definition stream, op for op', () => {
    for (const seed of [1, 2, 0xdeadbeef, -7]) expect(firstDifference(seed, DEFAULT_MIX, ENTRIES, IRQS, 20_000)).toBeNull();
  });

  it('any mix (fractional and zero weights, no entry points, no IRQs) gives the definition stream', () => {
    const weight = fc.oneof(fc.integer({ min: 0, max: 50 }), fc.double({ min: 0, max: 50, noNaN: true }), fc.constant(0));
    const mix = fc.record({
      run: weight, trap: weight, interruptFlag: weight, iret: weight, eoi: weight, mask: weight, mode: weight,
      runTicksMean: fc.oneof(fc.integer({ min: 0, max: 3000 }), fc.double({ min: 0, max: 100, noNaN: true })),
    });
    fc.assert(fc.property(fc.integer(), mix, fc.boolean(), fc.boolean(), (seed, m, withEntries, withIrqs) => {
      const entries = withEntries ? ENTRIES : [];
      const irqs = withIrqs ? IRQS : [];
      const total = m.run + (withEntries ? m.trap : 0) + m.interruptFlag + m.iret + m.eoi + (withIrqs ? m.mask : 0) + m.mode;
      fc.pre(total > 0);
      expect(firstDifference(seed, m, entries, irqs, 2_000)).toBeNull();
    }), { seed: 16, numRuns: 150 });
  });

  it('a negative weight (only a direct caller can give one) still draws as the definition does', () => {
    const mix = { ...DEFAULT_MIX, iret: -3, eoi: 10 };
    expect(firstDifference(9, mix, ENTRIES, IRQS, 5_000)).toBeNull();
  });

  it('shares the ops with few values between workloads, and makes each trap op anew', () => {
    const a = new Workload(new Rng(3), ENTRIES, DEFAULT_MIX, IRQS);
    const b = new Workload(new Rng(3), ENTRIES, DEFAULT_MIX, IRQS);
    let shared = 0;
    let traps = 0;
    for (let i = 0; i < 2_000; i++) {
      const x = a.next();
      const y = b.next();
      expect(y).toEqual(x);
      if (x.op === 'trap') {
        traps++;
        expect(y).not.toBe(x);
      } else {
        shared++;
        expect(y).toBe(x);
      }
    }
    expect(traps).toBeGreaterThan(0);
    expect(shared).toBeGreaterThan(0);
  });
});
