/**
 * Every run of a campaign goes through one path (execution.ts `runOnKit`): PCT's estimate run
 * too, now on a machine kit and through a RecordingChoices. Its count must stay the IRQ choice
 * points of the quiet schedule, as a bare run with a counting choice source counts them. And a
 * zoo scenario is one object per entry and twin in a process, whichever way it is loaded.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO, zooEntry } from '../../examples/zoo/index.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { estimateChoicePoints } from '../../src/explore/execution.js';
import { loadScenario } from '../../src/scenario/load.js';
import { QUIET_CHOICES, type ChoiceSource } from '../../src/vmm/choices.js';
import type { RunConfig } from '../../src/shared/trace.js';

function quietPoints(scenario: Parameters<typeof estimateChoicePoints>[0], seed: number, steps: number, config: RunConfig): number {
  let points = 0;
  const counting: ChoiceSource = {
    irqArrivals: () => {
      points++;
      return 0;
    },
    nextGlobalEvent: QUIET_CHOICES.nextGlobalEvent,
    callNow: QUIET_CHOICES.callNow,
  };
  runSim({ scenario, seed, steps, choices: counting, config, stopOn: 'never', tailRecords: 1 });
  return Math.max(1, points);
}

describe('the runs of a campaign', () => {
  it("PCT's estimate counts the quiet schedule's IRQ choice points, as a bare counting run does", () => {
    fc.assert(
      fc.property(
        fc.nat(ZOO.length - 1), fc.boolean(), fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 1, max: 120 }),
        fc.constantFrom('checked', 'pooled' as const), fc.boolean(),
        (entryIndex, fixed, seed, steps, handleMode, latitude) => {
          const scenario = ZOO[entryIndex]!.scenario(fixed);
          const config: RunConfig = { handleMode, latitude };
          expect(estimateChoicePoints(scenario, { seed, steps, config })).toBe(quietPoints(scenario, seed, steps, config));
        },
      ),
      { seed: 21, numRuns: 60 },
    );
  });

  it('a zoo scenario is one object per entry and twin, loaded by reference or taken from the entry', async () => {
    const entry = zooEntry('stale-handle')!;
    const buggy = entry.scenario(false);
    expect(entry.scenario(false)).toBe(buggy);
    expect(entry.scenario(true)).not.toBe(buggy);
    expect(entry.scenario(true).name).toBe('stale-handle (fixed)');
    expect(await loadScenario({ kind: 'zoo', name: 'stale-handle', fixed: false })).toBe(buggy);
    expect(await loadScenario({ kind: 'zoo', name: 'stale-handle', fixed: true })).toBe(entry.scenario(true));
  });
});
