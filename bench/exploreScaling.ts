/**
 * Does `--workers 2` pay? The same campaign (the default strategy on the built-in machine, kept
 * going past violations so every iteration runs) on one worker and on a pool of two, sized to
 * at least `seconds` of CPU time on one worker, alternated over `rounds` so that load from
 * elsewhere on the machine hits both alike. Start-up (the pool's threads, loading the scenario) is inside the
 * measured time: that is what a user waits for.
 *
 *   node dist/bench/exploreScaling.js [seconds] [rounds]
 */
import { measureExplore } from './explore.js';
import { repeated } from './stats.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface ScalingResult {
  iterations: number;
  /** One worker's campaign length (wall), median. */
  campaignSeconds: number;
  oneWorkerExecsPerSec: number;
  twoWorkersExecsPerSec: number;
  /** twoWorkers / oneWorker, from the medians. */
  speedup: number;
  /**
   * Executions per CPU-second (all threads) with two workers over one: the pool's overhead,
   * whatever the machine's load. On two otherwise idle cores the speedup is about twice this.
   */
  cpuEfficiency: number;
  rounds: { oneWorker: number; twoWorkers: number; oneWorkerPerCpuSec: number; twoWorkersPerCpuSec: number }[];
}

export async function measureExploreScaling(seconds: number, rounds: number): Promise<ScalingResult> {
  // Calibrate: iterations that keep one worker busy for at least `seconds` of CPU time. On a
  // quiet machine that is the wall time too; on a loaded one the runs take longer, but the
  // pool's start-up is amortized over the same amount of work.
  const probe = await measureExplore({ scenario: 'default', iterations: 512, workers: 1, strategy: 'portfolio' });
  let iterations = roundUp((probe.executions * seconds * 1200) / Math.max(1, probe.cpuMs));
  let first = await measureExplore({ scenario: 'default', iterations, workers: 1, strategy: 'portfolio' });
  for (let tries = 0; tries < 3 && first.cpuMs < seconds * 1000; tries++) {
    iterations = roundUp((iterations * seconds * 1200) / Math.max(1, first.cpuMs));
    first = await measureExplore({ scenario: 'default', iterations, workers: 1, strategy: 'portfolio' });
  }
  const runs: ScalingResult['rounds'] = [];
  const lengths: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const one = i === 0 ? first : await measureExplore({ scenario: 'default', iterations, workers: 1, strategy: 'portfolio' });
    const two = await measureExplore({ scenario: 'default', iterations, workers: 2, strategy: 'portfolio' });
    runs.push({
      oneWorker: one.execsPerSec, twoWorkers: two.execsPerSec,
      oneWorkerPerCpuSec: Math.round((one.executions * 1000) / Math.max(1, one.cpuMs)),
      twoWorkersPerCpuSec: Math.round((two.executions * 1000) / Math.max(1, two.cpuMs)),
    });
    lengths.push(one.elapsedMs / 1000);
  }
  const oneWorker = repeated(runs.map((r) => r.oneWorker)).median;
  const twoWorkers = repeated(runs.map((r) => r.twoWorkers)).median;
  return {
    iterations, campaignSeconds: Math.round(repeated(lengths).median * 10) / 10,
    oneWorkerExecsPerSec: Math.round(oneWorker), twoWorkersExecsPerSec: Math.round(twoWorkers),
    speedup: Math.round((twoWorkers / oneWorker) * 100) / 100,
    cpuEfficiency: Math.round((repeated(runs.map((r) => r.twoWorkersPerCpuSec)).median / repeated(runs.map((r) => r.oneWorkerPerCpuSec)).median) * 100) / 100,
    rounds: runs,
  };
}

/** Whole pool tasks (256 iterations), at least 1024. */
function roundUp(iterations: number): number {
  return Math.max(1024, Math.ceil(iterations / 256) * 256);
}

runIfEntry(import.meta.url, () => measureExploreScaling(Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 3)));
