/**
 * The peer figure on its own, as the bench suite's full run measures it: fast-check's
 * `fc.scheduler` on the stale-cancel race, then vmmsim's explorer on the zoo's `stale-handle`,
 * and their ratios (wall clock, and per CPU-second, which holds up on a loaded machine).
 *
 *   node dist/bench/peer/ratio.js [fast-check runs = 5000] [vmmsim executions = 5000]
 */
import { runIfEntry } from '../transport/runDirectly.js';
import { measureFastCheckRace } from './fastCheckRace.js';
import { measureVmmsimRace } from './vmmsimRace.js';

runIfEntry(import.meta.url, async () => {
  const [runs = '5000', executions = '5000'] = process.argv.slice(2);
  const peer = await measureFastCheckRace({ runs: Number(runs), seed: 1 });
  const ours = await measureVmmsimRace(Number(executions));
  return {
    fastCheck: { execsPerSec: Math.round(peer.execsPerSec), execsPerCpuSec: Math.round(peer.execsPerCpuSec), execsToFirstBug: peer.execsToFirstBug },
    vmmsim: ours,
    ratio: Math.round((100 * ours.execsPerSec) / peer.execsPerSec) / 100,
    ratioPerCpuSec: Math.round((100 * ours.execsPerCpuSec) / peer.execsPerCpuSec) / 100,
  };
});
