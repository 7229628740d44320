/**
 * The explorer's coverage tracker reads each record by its kind number and keys lifecycles by
 * event node; the reference (test/support/coverageOracle.ts) reads `record.k` and keys them by
 * (device, handle value) in maps. On the zoo's executions, under every seeded strategy and both
 * handle modes, the two must count the same hits in every window.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { WINDOWS } from '../../src/explore/coverage.js';
import { runExecution, seededStrategy, strategySeed } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { MachineKit } from '../../src/explore/machineKit.js';
import { CoverageOracle } from '../support/coverageOracle.js';

const MEMBERS = ['pct', 'pos', 'random'] as const;

describe('race-window coverage against its reference', () => {
  it('counts the same hits per window as the reference on any zoo execution', () => {
    const hitAnywhere = WINDOWS.map(() => 0);
    const kit = new MachineKit();
    fc.assert(
      fc.property(
        fc.nat(ZOO.length - 1), fc.boolean(), fc.constantFrom(...MEMBERS), fc.nat(5000), fc.constantFrom('checked', 'pooled' as const),
        (entryIndex, fixed, member, iteration, handleMode) => {
          const entry = ZOO[entryIndex]!;
          const scenario = entry.scenario(fixed);
          const spec = campaignSpec({
            scenario, scenarioRef: { kind: 'zoo', name: entry.name, fixed }, strategy: member, seed: 11, iterations: 1, handleMode,
          });
          const oracle = new CoverageOracle(spec.config.handleMode);
          const summary = runExecution(scenario, spec, seededStrategy(scenario, spec, iteration, member), iteration, strategySeed(spec.seed, iteration), member, {
            onRecord: (record) => oracle.onRecord(record),
          }, kit);
          expect(summary.windows).toEqual(oracle.counts);
          summary.windows.forEach((n, i) => (hitAnywhere[i]! += n));
        },
      ),
      { seed: 15, numRuns: 400 },
    );
    // The executions reach every window, so each of the tracker's paths was compared.
    expect(hitAnywhere.every((n) => n > 0)).toBe(true);
  });
});
