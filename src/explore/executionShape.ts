/**
 * What every execution of a campaign runs: the scenario's configuration under the flags, and the
 * step bound. Apart from explore.ts so that the command line can use it without loading the
 * explorer.
 */
import type { Scenario } from '../scenario/scenario.js';
import { ScenarioError } from '../scenario/scenarioError.js';
import type { RunConfig } from '../shared/trace.js';

export const DEFAULT_EXPLORE_STEPS = 200;
/** The most client steps one execution runs: `--steps`'s bound, and the scenario's own `steps` as explore's default. */
export const EXPLORE_STEPS_MAX = 10_000_000;

/** The flags that shape every execution (a campaign's request has them all: explore.ts's SpecRequest). */
export interface ShapeRequest {
  scenario: Scenario;
  /** Default: the scenario's own, else 200. */
  steps?: number;
  /** Default: the scenario's own handle mode. */
  handleMode?: RunConfig['handleMode'];
  /** On if asked or if the scenario asks for it. */
  latitude?: boolean;
}

/** What every execution of a campaign runs: the scenario's configuration under the flags, and the step bound. */
export function executionShape(req: ShapeRequest): { config: RunConfig; steps: number } {
  const { scenario } = req;
  const config: RunConfig = {
    handleMode: req.handleMode ?? scenario.config?.handleMode ?? 'checked',
    latitude: (req.latitude ?? false) || (scenario.config?.latitude ?? false),
    ...(scenario.config?.livelockBound !== undefined ? { livelockBound: scenario.config.livelockBound } : {}),
  };
  const steps = req.steps ?? scenario.steps ?? DEFAULT_EXPLORE_STEPS;
  // A scenario may ask a run for up to 100,000,000 steps; an execution that long is never
  // interrupted between executions (Ctrl-C waited 40-50 s for one of an outside audit's modules).
  if (steps > EXPLORE_STEPS_MAX) {
    throw new ScenarioError(`scenario ${scenario.name}: steps ${steps} is more than an execution of explore runs (at most ${EXPLORE_STEPS_MAX.toLocaleString('en-US')}): give --steps`);
  }
  return { config, steps };
}
