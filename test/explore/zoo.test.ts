import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { runZooEntry } from '../../src/explore/zooRun.js';
import { QUIET_CHOICES } from '../../src/vmm/choices.js';

/** Small budgets: the documented ones are larger; these keep the suite to seconds. */
const ITERATIONS = 200;

describe.each(ZOO.map((entry) => [entry.name, entry] as const))('zoo bug %s', (_name, entry) => {
  it('needs an interleaving: the quiet schedule (no interrupts, FIFO, call now) does not find it', () => {
    for (const seed of [1, 2, 3]) {
      const run = runSim({ scenario: entry.scenario(false), seed, steps: entry.budget.steps * 5, choices: QUIET_CHOICES, stopOn: 'any' });
      expect(run.violations).toEqual([]);
    }
  });

  it('is found by the default portfolio, shrunk, and its fixed twin stays clean under every strategy', async () => {
    const outcome = await runZooEntry(entry, { seed: 1, strategies: ['portfolio', 'pct', 'pos', 'random', 'guided'], workers: 1, iterations: ITERATIONS });
    // How fast each member finds each bug is measured (bench/exploreZoo.ts, README zoo table), not asserted here.
    expect(outcome.strategies.portfolio?.found, `portfolio found ${outcome.strategies.portfolio?.kindFound}`).toBe(true);
    for (const [strategy, s] of Object.entries(outcome.strategies)) {
      expect(s.kindFound === null || s.kindFound === entry.kind, `${strategy} found ${s.kindFound}`).toBe(true);
      expect(s.fixedTwinClean, `${strategy} twin`).toBe(true);
    }
    expect(outcome.found).toBe(true);
    expect(outcome.fixedTwinClean).toBe(true);
    expect(outcome.trace?.expect.firstViolation?.kind).toBe(entry.kind);
    expect(outcome.shrunkSteps).toBe(outcome.trace?.steps);
  });
});
