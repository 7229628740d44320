/**
 * Does `--workers 2` pay? The same campaign (the default strategy on the built-in machine, kept
 * going past violations so every iteration runs), sized to at least `seconds` of CPU time on one
 * thread, run five ways in each of `rounds` rounds (alternated, so that load from elsewhere on the
 * machine hits all alike):
 *
 * - here: on this thread (the campaign loop of `--workers 1`);
 * - pool1, pool2: on a piscina pool of one and of two workers;
 * - cold1, cold2: a pool of one and of two started inside the timer (what a fresh
 *   `vmmsim explore --workers W` pays: threads, loading, and the JIT compiling the simulator).
 *
 * here, pool1 and pool2 are timed warm: this thread ran the calibration campaigns, and each
 * pool ran WARM_ITERATIONS per worker before its timer started (V8 takes a few thousand
 * executions to finish optimizing the simulator; until then an execution costs some 20% more
 * CPU). The speedup compares warm with warm; cold2 / cold1 compares start-up with start-up. Per execution, the CPU of each kind of thread (Linux): this
 * thread, the pool's workers, and the runtime's own threads (garbage collection, compiler).
 *
 *   node dist/bench/exploreScaling.js [seconds] [rounds]
 */
import { performance } from 'node:perf_hooks';
import { runCampaignHere } from '../src/explore/campaign.js';
import { campaignSpec } from '../src/explore/explore.js';
import { ExplorePool } from '../src/explore/pool.js';
import type { CampaignSpec } from '../src/explore/spec.js';
import { loadScenario } from '../src/scenario/load.js';
import type { Scenario } from '../src/scenario/scenario.js';
import type { ScenarioRef } from '../src/shared/trace.js';
import { repeated } from './stats.js';
import { cpuByThread, threadCpu } from './threadCpu.js';
import { runIfEntry } from './transport/runDirectly.js';

const ARMS = ['here', 'pool1', 'pool2', 'cold1', 'cold2'] as const;
/** Warm-up per pool worker: past it an execution costs what it costs on the warm main thread. */
const WARM_ITERATIONS = 2048;
type Arm = (typeof ARMS)[number];

/** CPU µs per execution, by kind of thread (see threadCpu.ts). */
export interface CpuUsPerExec {
  mainUs: number;
  workersUs: number;
  runtimeUs: number;
}

export interface ArmRun {
  execsPerSec: number;
  /** Executions per CPU-second of the whole process (every thread). */
  execsPerCpuSec: number;
  /** CPU µs per execution by kind of thread; null off Linux. */
  cpuUsPerExec: CpuUsPerExec | null;
}

export interface ScalingResult {
  iterations: number;
  /** One thread's campaign length (wall), median. */
  campaignSeconds: number;
  /** here (this thread, warm), median. */
  oneWorkerExecsPerSec: number;
  /** pool2 (two workers, warm), median. */
  twoWorkersExecsPerSec: number;
  /** twoWorkers / oneWorker, from the medians: the figure of issue 11 (target ≥ 1.7). */
  speedup: number;
  /**
   * Executions per CPU-second (all threads) with two workers over one thread: the pool's
   * overhead, whatever the machine's load. On two otherwise idle cores the speedup is about
   * twice this, divided by the cores one thread keeps busy (itself plus the runtime's threads).
   */
  cpuEfficiency: number;
  /** pool1 (one worker, warm), median, and pool2 over it (the same code path on both sides). */
  onePoolWorkerExecsPerSec: number;
  speedupOverOnePoolWorker: number;
  /** cold1, cold2 (pools started inside the timer), medians, and cold2 / cold1. */
  coldOneWorkerExecsPerSec: number;
  coldTwoWorkersExecsPerSec: number;
  coldSpeedup: number;
  /** Median CPU µs per execution, per arm and kind of thread (null off Linux). */
  cpuUsPerExec: Record<Arm, CpuUsPerExec | null>;
  rounds: (Record<Arm, ArmRun> & { oneWorker: number; twoWorkers: number; oneWorkerPerCpuSec: number; twoWorkersPerCpuSec: number })[];
}

const REF: ScenarioRef = { kind: 'builtin', name: 'default', vms: 4, steps: 200 };

export async function measureExploreScaling(seconds: number, rounds: number): Promise<ScalingResult> {
  const scenario = await loadScenario(REF);
  const specOf = (iterations: number): CampaignSpec =>
    campaignSpec({ scenario, scenarioRef: REF, strategy: 'portfolio', seed: 1, iterations, keepGoing: true });
  // Calibrate on this thread (which warms it): iterations that keep one thread busy for at least
  // `seconds` of CPU time. On a quiet machine that is the wall time too.
  // The first probe is as large as roundUp's least (a slow first probe is kept as it is: with
  // 512 here, a cold process on a slow host measured 2 pool tasks, one per worker).
  let iterations = roundUp(0);
  let probe = await runArm('here', scenario, specOf(iterations));
  for (let tries = 0; tries < 4 && probe.cpuMs < seconds * 1000; tries++) {
    iterations = roundUp((iterations * seconds * 1200) / Math.max(1, probe.cpuMs));
    probe = await runArm('here', scenario, specOf(iterations));
  }
  const spec = specOf(iterations);
  const runs: ScalingResult['rounds'] = [];
  const lengths: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const round = {} as Record<Arm, ArmRun>;
    for (const arm of ARMS) {
      const run = i === 0 && arm === 'here' ? probe : await runArm(arm, scenario, spec);
      if (arm === 'here') lengths.push(run.elapsedMs / 1000);
      round[arm] = { execsPerSec: run.execsPerSec, execsPerCpuSec: run.execsPerCpuSec, cpuUsPerExec: run.cpuUsPerExec };
    }
    runs.push({
      ...round, oneWorker: round.here.execsPerSec, twoWorkers: round.pool2.execsPerSec,
      oneWorkerPerCpuSec: round.here.execsPerCpuSec, twoWorkersPerCpuSec: round.pool2.execsPerCpuSec,
    });
  }
  const median = (arm: Arm, of: (r: ArmRun) => number): number => repeated(runs.map((r) => of(r[arm]))).median;
  const speed = (arm: Arm): number => median(arm, (r) => r.execsPerSec);
  const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;
  const cpuUsPerExec = Object.fromEntries(ARMS.map((arm) => [arm, runs[0]![arm].cpuUsPerExec === null ? null : {
    mainUs: median(arm, (r) => r.cpuUsPerExec!.mainUs), workersUs: median(arm, (r) => r.cpuUsPerExec!.workersUs),
    runtimeUs: median(arm, (r) => r.cpuUsPerExec!.runtimeUs),
  }])) as Record<Arm, CpuUsPerExec | null>;
  return {
    iterations, campaignSeconds: Math.round(repeated(lengths).median * 10) / 10,
    oneWorkerExecsPerSec: Math.round(speed('here')), twoWorkersExecsPerSec: Math.round(speed('pool2')),
    speedup: ratio(speed('pool2'), speed('here')),
    cpuEfficiency: ratio(median('pool2', (r) => r.execsPerCpuSec), median('here', (r) => r.execsPerCpuSec)),
    onePoolWorkerExecsPerSec: Math.round(speed('pool1')), speedupOverOnePoolWorker: ratio(speed('pool2'), speed('pool1')),
    coldOneWorkerExecsPerSec: Math.round(speed('cold1')), coldTwoWorkersExecsPerSec: Math.round(speed('cold2')),
    coldSpeedup: ratio(speed('cold2'), speed('cold1')),
    cpuUsPerExec, rounds: runs,
  };
}

interface ArmMeasure extends ArmRun {
  elapsedMs: number;
  cpuMs: number;
}

async function runArm(arm: Arm, scenario: Scenario, spec: CampaignSpec): Promise<ArmMeasure> {
  const runtimeThreads = new Set(threadCpu()?.keys() ?? []);
  let pool: ExplorePool | null = null;
  if (arm === 'pool1' || arm === 'pool2') {
    pool = new ExplorePool(arm === 'pool1' ? 1 : 2);
    await pool.warm(spec, Math.min(WARM_ITERATIONS, spec.iterations));
  }
  const threadsBefore = threadCpu();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  try {
    if (arm === 'cold1' || arm === 'cold2') pool = new ExplorePool(arm === 'cold1' ? 1 : 2);
    const result = pool === null ? runCampaignHere(scenario, spec) : await pool.run(spec);
    const elapsedMs = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const threadsAfter = threadCpu();
    const cpuMs = (cpu.user + cpu.system) / 1000;
    const n = result.executions;
    const split = threadsBefore === null || threadsAfter === null ? null : cpuByThread(threadsBefore, threadsAfter, runtimeThreads);
    const perExecUs = (ms: number): number => Math.round((ms * 1000) / n);
    return {
      elapsedMs, cpuMs, execsPerSec: Math.round((n * 1000) / elapsedMs), execsPerCpuSec: Math.round((n * 1000) / Math.max(1, cpuMs)),
      cpuUsPerExec: split === null ? null : { mainUs: perExecUs(split.mainMs), workersUs: perExecUs(split.workersMs), runtimeUs: perExecUs(split.runtimeMs) },
    };
  } finally {
    await pool?.destroy();
  }
}

/** Whole pool tasks (256 iterations), at least 1024. */
function roundUp(iterations: number): number {
  return Math.max(1024, Math.ceil(iterations / 256) * 256);
}

runIfEntry(import.meta.url, () => measureExploreScaling(Number(process.argv[2] ?? 10), Number(process.argv[3] ?? 3)));
