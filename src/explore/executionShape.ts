/**
 * What every execution of a campaign runs: the scenario's configuration under the flags, and the
 * step bound. Apart from explore.ts so that the command line can use it without loading the
 * explorer.
 */
import type { Scenario } from '../scenario/scenario.js';
import type { RunConfig } from '../shared/trace.js';

export const DEFAULT_EXPLORE_STEPS = 200;

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
  return { config, steps: req.steps ?? scenario.steps ?? DEFAULT_EXPLORE_STEPS };
}
