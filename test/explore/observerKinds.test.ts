/**
 * The explorer's record reader calls each observer only for the kinds it declares (coverage:
 * COVERAGE_KINDS; PCT and POS: IN_SERVICE_KINDS). Held here: on recorded histories, cut anywhere,
 * an observer fed only its declared kinds ends in the state of one fed every record.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { IN_SERVICE_KINDS, InServiceSources } from '../../src/actors/sim/strategies/inService.js';
import { irqSources } from '../../src/actors/sim/irqSources.js';
import { COVERAGE_KINDS, CoverageTracker } from '../../src/explore/coverage.js';
import { seededStrategy } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import type { HistoryRecord } from '../../src/vmm/history.js';
import { kindOf } from '../../src/vmm/recordKinds.js';

const ZOO = ['stale-handle', 'pooled-stale-cancel', 'timeout-stale-cancel', 'nested-irq-order', 'work-steal-queue'];

/** A whole run of a zoo scenario under one PCT iteration, every record kept, and its handle mode. */
function history(name: string, iteration: number): { records: HistoryRecord[]; mode: 'checked' | 'pooled' } {
  const scenario = zooEntry(name)!.scenario(false);
  const spec = campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed: false }, strategy: 'pct', seed: 2, iterations: 1, workloads: 1 });
  const result = runSim({
    scenario, seed: spec.seed, steps: spec.steps, choices: seededStrategy(scenario, spec, iteration, 'pct'), config: spec.config, keepAll: true,
  });
  return { records: result.all!, mode: spec.config.handleMode };
}

const declared = (mask: number, r: HistoryRecord): boolean => ((mask >>> kindOf(r)) & 1) === 1;

describe('observers fed only the record kinds they declare', () => {
  const runs = ZOO.flatMap((name) => [0, 1, 2].map((i) => ({ name, ...history(name, i) })));

  it('coverage counts the same windows from COVERAGE_KINDS alone as from every record', () => {
    fc.assert(fc.property(fc.nat(runs.length - 1), fc.nat(5000), (which, cut) => {
      const { records, mode } = runs[which]!;
      const stream = records.slice(0, cut % (records.length + 1));
      const all = new CoverageTracker(mode);
      const some = new CoverageTracker(mode);
      for (const r of stream) {
        all.onRecord(r);
        if (declared(COVERAGE_KINDS, r)) some.onRecord(r);
      }
      expect(some.counts).toEqual(all.counts);
    }), { seed: 8, numRuns: 100 });
    // The histories hit windows: the comparison is not of zeros only.
    const hit = runs.map(({ records, mode }) => {
      const tracker = new CoverageTracker(mode);
      for (const r of records) tracker.onRecord(r);
      return tracker.counts.reduce((a, b) => a + b, 0);
    });
    expect(hit.some((n) => n > 0)).toBe(true);
  });

  it('the sources in service are the same, record by record, from IN_SERVICE_KINDS alone', () => {
    for (const { name, records } of runs) {
      const sources = irqSources(zooEntry(name)!.scenario(false).devices);
      const all = new InServiceSources(sources);
      const some = new InServiceSources(sources);
      let busy = 0;
      for (const r of records) {
        all.onRecord(r);
        if (declared(IN_SERVICE_KINDS, r)) some.onRecord(r);
        expect(some.mask).toBe(all.mask);
        if (all.mask !== 0) busy++;
      }
      expect(busy).toBeGreaterThan(0);
    }
  });
});
