/**
 * The peer figure on its own, as the bench suite's full run measures it: fast-check's
 * `fc.scheduler` on the stale-cancel race, then vmmsim's explorer on the zoo's `stale-handle`,
 * and their ratios (wall clock, and per CPU-second, which holds up on a loaded machine).
 * Both sides get the same untimed warm-up runs first (the suite's: PEER_WARM_UP_RUNS). V8 is
 * still optimizing the simulator after a thousand executions (measured: about 90 µs of CPU per
 * execution from the 1,000th, 50 µs from the 5,000th); a larger warm-up times both at steady state.
 *
 *   node dist/bench/peer/ratio.js [fast-check runs = 5000] [vmmsim executions = 5000] [warm-up runs = 1000]
 */
import { runIfEntry } from '../transport/runDirectly.js';
import { measureFastCheckRace, PEER_WARM_UP_RUNS } from './fastCheckRace.js';
import { measureVmmsimRace } from './vmmsimRace.js';

runIfEntry(import.meta.url, async () => {
  const [runs = '5000', executions = '5000', warmUp = String(PEER_WARM_UP_RUNS)] = process.argv.slice(2);
  const peer = await measureFastCheckRace({ runs: Number(runs), seed: 1, warmUpRuns: Number(warmUp) });
  const ours = await measureVmmsimRace(Number(executions), Number(warmUp));
  return {
    warmUpRuns: Number(warmUp),
    fastCheck: { execsPerSec: Math.round(peer.execsPerSec), execsPerCpuSec: Math.round(peer.execsPerCpuSec), execsToFirstBug: peer.execsToFirstBug },
    vmmsim: ours,
    ratio: Math.round((100 * ours.execsPerSec) / peer.execsPerSec) / 100,
    ratioPerCpuSec: Math.round((100 * ours.execsPerCpuSec) / peer.execsPerCpuSec) / 100,
  };
});
