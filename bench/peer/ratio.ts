/**
 * The peer figure on its own, measured as the bench suite's full run measures it (rounds.ts
 * describes the method: the same warm-up for both sides, rounds of the same number of executions
 * on each, alternating which side goes first, medians and spreads).
 *
 *   node dist/bench/peer/ratio.js [executions per round = 10000] [rounds = 5] [warm-up executions = 5000]
 */
import { runIfEntry } from '../transport/runDirectly.js';
import { measurePeerRounds, PEER_ROUNDS } from './rounds.js';

runIfEntry(import.meta.url, async () => {
  const [perRound, rounds, warmUp] = process.argv.slice(2).map(Number);
  return measurePeerRounds({
    executionsPerRound: perRound ?? PEER_ROUNDS.executionsPerRound,
    rounds: rounds ?? PEER_ROUNDS.rounds,
    warmUpExecutions: warmUp ?? PEER_ROUNDS.warmUpExecutions,
  });
});
