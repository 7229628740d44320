/**
 * A MachineKit's parts (the trace recorder, the client register blocks, the invariant checker,
 * the workload tape), reset and lent to a run, must give the run of a new machine: every record,
 * the trace hash and its checkpoints, the counts, and every verdict of the checker, whatever ran
 * on the kit before (runs of other scenarios and seeds, runs stopped early at a violation). The
 * property drives runSim itself, so it sees the whole run, not only an execution's summary
 * (machineKit.test.ts holds the summaries).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { runSim, type SimRunResult } from '../../src/actors/sim/simRun.js';
import { seededStrategy } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { MachineKit } from '../../src/explore/machineKit.js';
import type { CampaignSpec } from '../../src/explore/spec.js';
import { defaultScenario } from '../../src/scenario/default.js';
import type { Scenario } from '../../src/scenario/scenario.js';

interface Case {
  scenario: Scenario;
  spec: CampaignSpec;
}

function zooCase(name: string, fixed: boolean, steps: number, seed: number): Case {
  const scenario = zooEntry(name)!.scenario(fixed);
  return { scenario, spec: campaignSpec({ scenario, scenarioRef: { kind: 'zoo', name, fixed }, strategy: 'pct', seed, iterations: 1, steps }) };
}

const CASES: Case[] = [
  zooCase('stale-handle', false, 40, 3),
  zooCase('stale-handle', false, 40, 4),
  zooCase('clobbered-ebp', false, 30, 3),
  zooCase('timeout-stale-cancel', false, 30, 5),
  zooCase('sync-service-at-interrupt', false, 30, 3),
  zooCase('pooled-stale-cancel', false, 30, 3),
  zooCase('stale-handle', true, 40, 3),
  (() => {
    const scenario = defaultScenario(4, 60);
    return { scenario, spec: campaignSpec({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 60 }, strategy: 'pct', seed: 5, iterations: 1 }) };
  })(),
];

/** One run of a case under iteration `iteration`'s PCT strategy, on the kit's parts or (kit null) on new ones. */
function run(c: Case, iteration: number, stopOn: 'never' | 'any', kit: MachineKit | null): SimRunResult {
  const options = {
    scenario: c.scenario, seed: c.spec.seed, steps: c.spec.steps, choices: seededStrategy(c.scenario, c.spec, iteration, 'pct'),
    config: c.spec.config, stopOn, tailRecords: 0, keepAll: true,
  };
  if (kit === null) return runSim(options);
  return kit.lend(c.scenario, c.spec.seed, ({ reused, checker, ops }) => runSim({ ...options, reused, checker, ops }));
}

describe('MachineKit: a run on lent parts is the run of a new machine', () => {
  it('gives every record, the hash, the counts and every verdict of a fresh run, after any runs before it', () => {
    const step = fc.record({ which: fc.nat(CASES.length - 1), iteration: fc.nat(300), stopEarly: fc.boolean() });
    fc.assert(fc.property(fc.array(step, { minLength: 1, maxLength: 8 }), (sequence) => {
      const kit = new MachineKit();
      for (const { which, iteration, stopEarly } of sequence) {
        const c = CASES[which]!;
        const stopOn = stopEarly ? 'any' : 'never';
        const lent = run(c, iteration, stopOn, kit);
        const fresh = run(c, iteration, stopOn, null);
        expect(lent.all).toEqual(fresh.all);
        expect(lent.traceHash).toBe(fresh.traceHash);
        expect(lent.checkpoints).toEqual(fresh.checkpoints);
        expect(lent.counts).toEqual(fresh.counts);
        expect(lent.violations).toEqual(fresh.violations);
        expect({ ok: lent.invariantsOk, deviceBugs: lent.deviceBugs, steps: lent.steps, pending: lent.pendingAtEnd })
          .toEqual({ ok: fresh.invariantsOk, deviceBugs: fresh.deviceBugs, steps: fresh.steps, pending: fresh.pendingAtEnd });
      }
    }), { seed: 27, numRuns: 30 });
  });

  // The model is correct, so the checker's own (vmm) verdicts are none in fresh runs too; the reset
  // checker's judgement of every record is held by test/vmm/checker/reset.test.ts on cut streams.
  it('the runs it compares include several kinds of device verdict, clean runs and runs with many', () => {
    const kit = new MachineKit();
    const results = CASES.flatMap((c) => Array.from({ length: 20 }, (_, i) => run(c, i, 'never', kit)));
    const kinds = new Set(results.flatMap((r) => r.violations.map((v) => v.kind)));
    expect(kinds.size).toBeGreaterThanOrEqual(3);
    expect(results.some((r) => r.violations.length === 0)).toBe(true);
    expect(results.some((r) => r.violations.length > 1)).toBe(true);
  });
});
