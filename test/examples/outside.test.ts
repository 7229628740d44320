// The outside drivers (README "The bug zoo", "Outside drivers"): buggy drivers written against the
// public API. Each claim the explorer prints is held to what really happens: the bug is found
// with its kind, the printed trace replays exactly to the same violation, the shrunk run is no
// longer than the one found, and the fixed twin reports no violation under the same budget.
import { describe, expect, it } from 'vitest';
import { OUTSIDE_DRIVERS } from '../../examples/outside/index.js';
import { QUIET_CHOICES } from '../../src/vmm/choices.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { loadScenario } from '../../src/scenario/load.js';
import { validateScenario } from '../../src/scenario/validate.js';

const BUDGET = 400;

describe.each(OUTSIDE_DRIVERS)('outside driver $file ($bugClass)', (driver) => {
  it('passes scenario validation, buggy and fixed', () => {
    for (const fixed of [false, true]) {
      const scenario = driver.scenario(fixed);
      expect(validateScenario(scenario, `${driver.file}.ts`)).toEqual(scenario);
    }
  });

  it(`the quiet schedule ${driver.quiet ? 'shows' : 'does not show'} it (it ${driver.quiet ? 'needs no' : 'needs an'} interleaving)`, () => {
    const scenario = driver.scenario(false);
    const result = runSim({ scenario, seed: 1, steps: scenario.steps ?? 40, choices: QUIET_CHOICES });
    expect(result.violations.some((v) => v.kind === driver.kind)).toBe(driver.quiet);
  });

  it(`the portfolio finds ${driver.kind} within ${BUDGET} executions, and its shrunk trace replays exactly to it`, async () => {
    const scenario = driver.scenario(false);
    const ref = { kind: 'module' as const, path: `examples/outside/${driver.file}.ts` };
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef: ref, strategy: 'portfolio', seed: 1, iterations: BUDGET }));
    expect(outcome.campaign.first?.violation.kind).toBe(driver.kind);
    const shrunk = outcome.shrunk!;
    expect(shrunk.after.steps).toBeLessThanOrEqual(shrunk.before.steps);
    expect(shrunk.after.irqs).toBeLessThanOrEqual(shrunk.before.irqs);
    const trace = outcome.trace!;
    const { result, divergence } = replayTrace(trace, await loadScenario(trace.scenario));
    expect(divergence).toBeNull();
    expect(result?.traceHash).toBe(trace.expect.traceHash);
    expect(result?.firstViolation?.kind).toBe(driver.kind);
  });

  it(`the fixed twin is clean for the same ${BUDGET} executions`, async () => {
    const scenario = driver.scenario(true);
    const ref = { kind: 'module' as const, path: `examples/outside/fixed/${driver.file}.ts` };
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef: ref, strategy: 'portfolio', seed: 1, iterations: BUDGET }));
    expect(outcome.campaign.first).toBeNull();
    expect(outcome.campaign.executions).toBe(BUDGET);
  });
});

describe('the fixed twins load as modules of their own', () => {
  it.each(OUTSIDE_DRIVERS.map((d) => d.file))('examples/outside/fixed/%s.ts is the fixed scenario', async (file) => {
    const scenario = await loadScenario({ kind: 'module', path: `examples/outside/fixed/${file}.ts` });
    expect(scenario.name).toMatch(/\(fixed\)$/);
  });
});
