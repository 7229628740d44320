/**
 * The peer figure measured in a process of its own (ratio.ts run as a child), as a user runs one
 * `vmmsim explore` campaign, or one fast-check property, per process.
 *
 * Why: in the suite's process the explorer's scaling runs (the default scenario) have compiled
 * the core's functions for another scenario's shapes before the peer's race runs. Measured (two
 * pairs of processes, alternated): after 3,000 executions of the default scenario, vmmsim's side
 * ran 3–4% slower and the ratio was 0.83–0.85 wall against 0.87–0.89 in a clean process. Both
 * sides run in the same child, with the same warm-up (rounds.ts).
 */
import { runBenchInChild } from '../childRun.js';
import type { PeerRoundsOptions, PeerRoundsResult } from './rounds.js';

export function measurePeerRoundsInChild(options: PeerRoundsOptions): Promise<PeerRoundsResult> {
  const { executionsPerRound, rounds, warmUpExecutions } = options;
  return runBenchInChild<PeerRoundsResult>('peer/ratio', [String(executionsPerRound), String(rounds), String(warmUpExecutions)]);
}
