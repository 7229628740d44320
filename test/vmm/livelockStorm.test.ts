// The livelock bound and interrupt storms. With a large interrupt budget PCT lets its top source
// assert at every preemption point (no virtual time passes between two assertions), and on the
// built-in default scenario every keyboard interrupt schedules a global event: one processing
// pass then goes on as long as the storm feeds it. That is the environment's doing, not an event
// that reschedules itself, so it must not be reported as a livelock device bug (SPEC §7: "an
// event that reschedules itself forever"). A real self-feeding chain still is (see
// globalEvents.deviceBugs.test.ts, "livelock bound").
import { describe, expect, it } from 'vitest';
import { campaignSpec } from '../../src/explore/explore.js';
import { runExecution, seededStrategy, strategySeed } from '../../src/explore/execution.js';
import { defaultScenario } from '../../src/scenario/default.js';

describe('the livelock bound under an interrupt storm', () => {
  it('execution 2 of `explore --irq-budget 3000` on the default scenario: no livelock (it was reported before)', () => {
    const scenario = defaultScenario(4, 200);
    const spec = campaignSpec({
      scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 200 }, strategy: 'pct', seed: 1, iterations: 2,
      params: { irqBudget: 3000 },
    });
    const iteration = 1;
    const summary = runExecution(scenario, spec, seededStrategy(scenario, spec, iteration, 'pct'), iteration, strategySeed(spec.seed, iteration));
    // The storm really happened: far more interrupts than one pass's livelock bound.
    expect(summary.irqPoints).toBeGreaterThan(1000);
    expect(summary.violation?.kind).not.toBe('livelock');
  });
});
