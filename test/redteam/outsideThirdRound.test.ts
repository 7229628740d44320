// The third round of outside drivers (examples/outside/index.ts, OUTSIDE_DRIVERS_THIRD_ROUND):
// buggy drivers written from the README and SPEC alone, each a bug class the first two rounds do
// not have. Each claim the explorer prints is held to what really happens: the bug is found with
// its kind, the trace replays exactly to it, the shrunk run says "1-minimal" and a second shrink
// of it removes nothing, and the fixed twin is clean under the same budget.
import { describe, expect, it } from 'vitest';
import { OUTSIDE_DRIVERS_THIRD_ROUND } from '../../examples/outside/index.js';
import { QUIET_CHOICES } from '../../src/vmm/choices.js';
import { replayTrace } from '../../src/actors/sim/simulate.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';
import { deserializeWorkload } from '../../src/actors/explicitOps.js';
import { ChoiceLog } from '../../src/actors/sim/choiceLog.js';
import { shrink } from '../../src/explore/shrink.js';
import { loadScenario } from '../../src/scenario/load.js';
import { validateScenario } from '../../src/scenario/validate.js';

const BUDGET = 400;

describe.each(OUTSIDE_DRIVERS_THIRD_ROUND)('outside driver $file ($bugClass)', (driver) => {
  it('passes scenario validation, buggy and fixed', () => {
    for (const fixed of [false, true]) {
      const scenario = driver.scenario(fixed);
      expect(validateScenario(scenario, `${driver.file}.ts`)).toEqual(scenario);
    }
  });

  it('the quiet schedule does not show it (it needs an interrupt placed)', () => {
    const scenario = driver.scenario(false);
    const result = runSim({ scenario, seed: 1, steps: scenario.steps ?? 40, choices: QUIET_CHOICES });
    expect(result.violations.some((v) => v.kind === driver.kind)).toBe(driver.quiet);
  });

  it(`the portfolio finds ${driver.kind} within ${BUDGET} executions; the trace replays exactly; a second shrink removes nothing`, async () => {
    const scenario = driver.scenario(false);
    const ref = { kind: 'module' as const, path: `examples/outside/${driver.file}.ts` };
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef: ref, strategy: 'portfolio', seed: 1, iterations: BUDGET }));
    expect(outcome.campaign.first?.violation.kind).toBe(driver.kind);
    const shrunk = outcome.shrunk!;
    expect(shrunk.minimal).toBe(true);
    expect(shrunk.after.steps).toBeLessThanOrEqual(shrunk.before.steps);
    const trace = outcome.trace!;
    const { result, divergence } = replayTrace(trace, await loadScenario(trace.scenario));
    expect(divergence).toBeNull();
    expect(result?.traceHash).toBe(trace.expect.traceHash);
    expect(result?.firstViolation?.kind).toBe(driver.kind);
    // "1-minimal": shrinking the shrunk trace again keeps every step and IRQ.
    const again = await shrink({
      scenario, scenarioRef: trace.scenario, seed: trace.seed, steps: trace.steps, config: trace.config, stopOn: 'any',
      choices: ChoiceLog.deserialize(trace.choices), ...(trace.workload !== undefined ? { ops: deserializeWorkload(trace.workload) } : {}),
      kind: driver.kind, strategyName: 'shrink again',
    });
    expect(again.minimal).toBe(true);
    expect(again.after).toEqual(shrunk.after);
  });

  it(`the fixed twin is clean for the same ${BUDGET} executions`, async () => {
    const scenario = driver.scenario(true);
    const ref = { kind: 'module' as const, path: `examples/outside/fixed/${driver.file}.ts` };
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef: ref, strategy: 'portfolio', seed: 1, iterations: BUDGET }));
    expect(outcome.campaign.first).toBeNull();
    expect(outcome.campaign.executions).toBe(BUDGET);
  });

  it('the fixed twin loads as a module of its own', async () => {
    const scenario = await loadScenario({ kind: 'module', path: `examples/outside/fixed/${driver.file}.ts` });
    expect(scenario.name).toMatch(/\(fixed\)$/);
  });
});
