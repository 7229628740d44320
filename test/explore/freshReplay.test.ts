// explore/freshReplay.ts: a found trace is replayed on a fresh evaluation of its scenario module
// before it is offered, because a campaign's executions share one evaluation (audit item 8: a
// module counter made a finding that reproduced in the thread that found it, and whose printed
// replay diverged).
import { afterAll, describe, expect, it } from 'vitest';
import { needsFreshReplay, replayInFreshThread } from '../../src/explore/freshReplay.js';
import { simulate } from '../../src/actors/sim/simulate.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioRef } from '../../src/shared/trace.js';

const CONFIG = { handleMode: 'checked', latitude: false } as const;
const THRESHOLD: ScenarioRef = { kind: 'module', path: 'examples/hostile/moduleThreshold.ts' };

describe('replayInFreshThread', () => {
  it('a trace the module makes from a fresh start reproduces; after the thread has poked past 40, the same workload fails here and diverges there', async () => {
    const scenario = await loadScenario(THRESHOLD);
    const quiet = simulate({ scenario, scenarioRef: THRESHOLD, seed: 1, steps: 30, config: CONFIG });
    expect(quiet.result.deviceBugs).toBe(0);
    expect(await replayInFreshThread(quiet.trace, scenario)).toEqual({ reproduced: true });
    simulate({ scenario, scenarioRef: THRESHOLD, seed: 1, steps: 400, config: CONFIG });
    const warm = simulate({ scenario, scenarioRef: THRESHOLD, seed: 1, steps: 30, config: CONFIG });
    expect(warm.result.firstViolation?.kind).toBe('pastForty');
    expect(await replayInFreshThread(warm.trace, scenario)).toEqual({ reproduced: false, why: expect.stringMatching(/^diverged: the decision log differs/) });
  }, 60_000);

  const HANGS: ScenarioRef = { kind: 'module', path: 'test/explore/fixtures/hangsWhenFresh.ts' };
  afterAll(() => delete (globalThis as { vmmsimTestWarm?: boolean }).vmmsimTestWarm);
  it('device code that hangs on a fresh thread: the watchdog ends the replay and says so, naming the device and procedure', async () => {
    (globalThis as { vmmsimTestWarm?: boolean }).vmmsimTestWarm = true;
    const scenario = await loadScenario(HANGS);
    const { trace, result } = simulate({ scenario, scenarioRef: HANGS, seed: 1, steps: 30, config: CONFIG });
    expect(result.counts.serviceCalls).toBeGreaterThan(0);
    const verdict = await replayInFreshThread(trace, scenario, 300);
    expect(verdict).toEqual({ reproduced: false, why: expect.stringMatching(/^hung: device d, procedure poke has not returned/) });
  }, 60_000);

  it('a module that does not load on a fresh thread (an in-memory scenario under a made-up path): unchecked, with its message', async () => {
    const scenario = await loadScenario(THRESHOLD);
    const { trace } = simulate({ scenario, scenarioRef: THRESHOLD, seed: 1, steps: 5, config: CONFIG });
    const moved = { ...trace, scenario: { kind: 'module', path: 'examples/hostile/noSuchDriver.ts' } as const };
    expect(await replayInFreshThread(moved, scenario)).toEqual({ reproduced: 'unchecked', why: expect.stringMatching(/^not loaded: scenario file not found: examples\/hostile\/noSuchDriver\.ts/) });
  }, 60_000);
});

describe('needsFreshReplay', () => {
  it('only a scenario module (built-in and zoo scenarios are the project\'s own, tested deterministic)', () => {
    const trace = (scenario: ScenarioRef) => ({ scenario }) as Parameters<typeof needsFreshReplay>[0];
    expect([
      needsFreshReplay(trace(THRESHOLD)),
      needsFreshReplay(trace({ kind: 'builtin', name: 'default', vms: 2, steps: 10 })),
      needsFreshReplay(trace({ kind: 'zoo', name: 'stale-cancel', fixed: false })),
    ]).toEqual([true, false, false]);
  });
});
