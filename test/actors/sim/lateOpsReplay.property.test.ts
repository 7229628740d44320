/**
 * On threads the VMM answers "is the current VM's op late?" by real timing, at any step, and
 * records the yeses (the 'idle' choice). Whatever those answers were, the recorded run must
 * replay exactly in the simulated runtime (same trace hash and record count, every choice used):
 * "the trace is exactly what the core saw and the simulated runtime can replay it" (choices.ts).
 * Here the timing is a seeded coin, on the real ports whose one IRQ source is often still
 * asserting (VCD's threaded runs diverged there) and on random machines.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceLog, ChoiceRuns, RecordingChoices, ReplayChoices } from '../../../src/actors/sim/choiceLog.js';
import { irqSources } from '../../../src/actors/sim/irqSources.js';
import { RandomStrategy } from '../../../src/actors/sim/randomStrategy.js';
import { runSim } from '../../../src/actors/sim/simRun.js';
import { StreamChoices } from '../../../src/actors/sim/streamChoices.js';
import { defineScenario, type Scenario } from '../../../src/scenario/scenario.js';
import { Rng } from '../../../src/shared/rng.js';
import type { ChoiceSource } from '../../../src/vmm/choices.js';
import { devicesArb } from '../../support/templates.js';
import vcd from '../../../examples/real/vcd.js';
import vad from '../../../examples/real/vad.js';
import vfintd from '../../../examples/real/vfintd.js';
import vsbd from '../../../examples/real/vsbd.js';

const STEPS = 1500;

/** Interrupts from a random strategy, and a late op with probability `lateP` wherever the core asks. */
function threadLike(scenario: Scenario, seed: number, lateP: number): ChoiceSource {
  const rng = new Rng(seed).child('late');
  const strategy = new RandomStrategy(new Rng(seed).child('strategy'), irqSources(scenario.devices), { mode: 'uniform', p: 0.1, irqBudget: 400 });
  return {
    irqArrivals: (point) => strategy.irqArrivals(point),
    nextGlobalEvent: () => 0,
    callNow: () => rng.chance(0.5),
    clientStillRunning: () => rng.chance(lateP),
  };
}

function triplesOf(runs: Float64Array): [number, number, number][] {
  const triples: [number, number, number][] = [];
  for (let i = 0; i < runs.length; i += 3) triples.push([runs[i]!, runs[i + 1]!, runs[i + 2]!]);
  return triples;
}

/** Records a run under thread-like timing, replays its log both ways, and checks the replays match it. */
function recordAndReplay(scenario: Scenario, seed: number, lateP: number, latitude: boolean): number {
  const config = { latitude };
  const recording = new RecordingChoices(threadLike(scenario, seed, lateP), new ChoiceRuns());
  const recorded = runSim({ scenario, seed, steps: STEPS, choices: recording, config });
  const triples = triplesOf(recording.log.drainRuns());

  const expanded = new ReplayChoices(ChoiceLog.deserialize(triples), true);
  const replayed = runSim({ scenario, seed, steps: STEPS, choices: expanded, config });
  expect({ hash: replayed.traceHash, records: replayed.records }).toEqual({ hash: recorded.traceHash, records: recorded.records });
  expect(expanded.exhausted).toBe(true);

  const streamed = new StreamChoices(triples[Symbol.iterator]());
  const restreamed = runSim({ scenario, seed, steps: STEPS, choices: streamed, config });
  expect(restreamed.traceHash).toBe(recorded.traceHash);
  expect(streamed.unconsumed()).toBe(0);
  return triples.filter(([kind]) => kind === 3).reduce((n, [, , repeat]) => n + repeat, 0);
}

describe('a run with late ops at any step replays exactly', () => {
  it.each([['vcd', vcd], ['vad', vad], ['vfintd', vfintd], ['vsbd', vsbd]] as const)('the %s port, seeds 1-6', (_name, scenario) => {
    let idleSteps = 0;
    for (let seed = 1; seed <= 6; seed++) idleSteps += recordAndReplay(scenario, seed, seed % 2 === 0 ? 0.3 : 0.8, seed % 3 === 0);
    // The runs did take idle steps (else this would test nothing).
    expect(idleSteps).toBeGreaterThan(50);
  });

  it('property: random machines, any late-op rate', () => {
    fc.assert(fc.property(devicesArb, fc.integer({ min: 1, max: 4 }), fc.integer(), fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean(), (devices, vms, seed, lateP, latitude) => {
      recordAndReplay(defineScenario({ name: 'random', vms, devices }), seed, lateP, latitude);
    }), { seed: 1202, numRuns: 40 });
  });
});
