/**
 * The histories bench/checker.ts times the checker on must be what the runs made. The record the
 * core hands a reader is its own and is written again as later records are made (recordRing.ts),
 * so a recorder that keeps it in place holds the last values of reused objects, and the checker
 * is then measured on records no run made (it read 1,145 violations into 20 executions of the
 * stale-handle race that have 12).
 */
import { describe, expect, it } from 'vitest';
import { measureWorkload, recordEventPath, recordZooRace } from '../../bench/checker.js';
import eventPathScenario from '../../bench/scenarios/eventPath.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { kindOf } from '../../src/vmm/recordKinds.js';

describe('the checker bench records whole histories', () => {
  it('the event path history equals the run loop\'s own copy of every record, and reads as that run\'s violations', () => {
    const steps = 300;
    const [run] = recordEventPath(steps);
    const reference = runSim({
      scenario: eventPathScenario, seed: 1, steps, choices: defaultStrategy(eventPathScenario, 1).choices,
      config: { handleMode: 'checked', latitude: false }, keepAll: true,
    });
    expect(run!.records.length).toBe(reference.all!.length);
    expect(run!.records).toEqual(reference.all);
    expect(run!.kinds).toEqual(reference.all!.map(kindOf));
    expect(measureWorkload([run!], 1).violations).toBe(reference.violations.length);
  });

  it('every zoo execution\'s history is its records in order: consecutive seqs, one object each', () => {
    const runs = recordZooRace(6);
    expect(runs).toHaveLength(6);
    for (const run of runs) {
      expect(run.records.length).toBeGreaterThan(10);
      expect(new Set(run.records).size).toBe(run.records.length);
      expect(run.records.map((r) => r.seq)).toEqual(run.records.map((_, i) => run.records[0]!.seq + i));
      expect(run.kinds).toEqual(run.records.map(kindOf));
    }
  });
});
