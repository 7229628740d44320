/**
 * What every execution of a campaign runs: the scenario's configuration under the flags, and the
 * step bound. Apart from explore.ts so that the command line can use it without loading the
 * explorer.
 */
import type { RunConfig } from '../shared/trace.js';
import type { SpecRequest } from './explore.js';

export const DEFAULT_EXPLORE_STEPS = 200;

/** What every execution of a campaign runs: the scenario's configuration under the flags, and the step bound. */
export function executionShape(req: Pick<SpecRequest, 'scenario' | 'steps' | 'handleMode' | 'latitude'>): { config: RunConfig; steps: number } {
  const { scenario } = req;
  const config: RunConfig = {
    handleMode: req.handleMode ?? scenario.config?.handleMode ?? 'checked',
    latitude: (req.latitude ?? false) || (scenario.config?.latitude ?? false),
    ...(scenario.config?.livelockBound !== undefined ? { livelockBound: scenario.config.livelockBound } : {}),
  };
  return { config, steps: req.steps ?? scenario.steps ?? DEFAULT_EXPLORE_STEPS };
}
