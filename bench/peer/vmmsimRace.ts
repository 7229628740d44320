/**
 * vmmsim's side of the peer comparison: the same race (the zoo's `stale-handle` bug: a callback
 * that does not zero its saved handle, and a later cancel of the stale handle), hunted by the
 * explorer with PCT on one thread: executions to the first bug, and timed batches of executions
 * (each one a whole simulated machine, invariant checking and coverage on, as `vmmsim explore`
 * runs them; the campaign keeps going past violations, so every batch runs all its executions).
 */
import { zooEntry } from '../../examples/zoo/index.js';
import { runCampaignHere } from '../../src/explore/campaign.js';
import { zooCampaign } from '../../src/explore/zooRun.js';
import { measureExplore } from '../explore.js';
import type { TimedBatch } from './fastCheckRace.js';

export const VMMSIM_RACE = 'stale-handle';

/** Executions of the campaign that hunts the race (PCT, seed 1) until its first bug, counting that one. */
export function vmmsimExecsToFirstBug(): number | null {
  const entry = zooEntry(VMMSIM_RACE);
  if (entry === undefined) throw new Error(`the zoo has no ${VMMSIM_RACE}`);
  const { scenario, spec } = zooCampaign(entry, 'pct', false, 1);
  const first = runCampaignHere(scenario, spec).first;
  return first === null ? null : first.iteration + 1;
}

/** `iterations` executions of one campaign from `seed`, timed: one `explore` call, as `vmmsim explore` makes it. */
export async function timeVmmsimRace(iterations: number, seed: number): Promise<TimedBatch> {
  const run = await measureExplore({ scenario: VMMSIM_RACE, iterations, workers: 1, strategy: 'pct', seed });
  return { executions: run.executions, wallMs: run.wallMs, cpuUs: run.cpuUs };
}
