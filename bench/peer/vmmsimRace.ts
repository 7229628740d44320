/**
 * vmmsim's side of the peer comparison: the same race (the zoo's `stale-handle` bug: a callback
 * that does not zero its saved handle, and a later cancel of the stale handle), hunted by the
 * explorer with PCT on one thread: executions to the first bug, and executions per second
 * (each one a whole simulated machine, invariant checking and coverage on).
 */
import { zooEntry } from '../../examples/zoo/index.js';
import { runCampaignHere } from '../../src/explore/campaign.js';
import { zooCampaign } from '../../src/explore/zooRun.js';
import { measureExplore } from '../explore.js';
import { PEER_WARM_UP_RUNS } from './fastCheckRace.js';

const RACE = 'stale-handle';
/** The same warm-up as fast-check's side gets (PEER_WARM_UP_RUNS): V8 takes a thousand or so executions to finish optimizing the simulator. */
const WARM_UP_ITERATIONS = PEER_WARM_UP_RUNS;

/**
 * `iterations`: executions timed, after a warm-up of WARM_UP_ITERATIONS (fast-check's side runs
 * thousands of executions, so its figure is steady-state; a cold run of 400 timed mostly the JIT).
 */
export async function measureVmmsimRace(iterations = 2000, warmUpIterations = WARM_UP_ITERATIONS): Promise<{ execsToFirstBug: number | null; execsPerSec: number; execsPerCpuSec: number; scenario: string }> {
  const entry = zooEntry(RACE);
  if (entry === undefined) throw new Error(`the zoo has no ${RACE}`);
  const { scenario, spec } = zooCampaign(entry, 'pct', false, 1);
  const first = runCampaignHere(scenario, spec).first;
  await measureExplore({ scenario: RACE, iterations: warmUpIterations, workers: 1, strategy: 'pct' });
  const speed = await measureExplore({ scenario: RACE, iterations, workers: 1, strategy: 'pct' });
  return {
    execsToFirstBug: first === null ? null : first.iteration + 1, execsPerSec: speed.execsPerSec,
    execsPerCpuSec: Math.round((speed.executions * 1000) / Math.max(1, speed.cpuMs)), scenario: `zoo ${RACE}`,
  };
}
