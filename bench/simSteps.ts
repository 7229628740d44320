/**
 * The simulated runtime's speed: VMM core steps per second on one thread (the default
 * scenario, the random strategy, invariant checking and trace hashing on, as in a real run).
 * Steady state, as exploration and replay run (a campaign runs millions of steps in thousands of
 * machines): untimed warm-up runs, each a new machine of WARMUP_STEPS steps, let the JIT compile
 * the core before the timed run, whose figure would otherwise be mostly compilation. A process's
 * first measurement warms up with FIRST_WARMUP_RUNS of them (a million steps): V8 compiles the
 * hot code again as the first machines of a process come and go, and a fresh process ran its
 * second and third measurements 20-25% slower than its later ones after one warm-up run
 * (README "Benchmarks"). Later measurements warm up with one run. A sample is one timed run.
 */
import { performance } from 'node:perf_hooks';
import { defaultStrategy } from '../src/actors/sim/simulate.js';
import { runSim } from '../src/actors/sim/simRun.js';
import { defaultScenario } from '../src/scenario/default.js';
import { measureYoungAllocation } from './youngAllocation.js';
import { isEntryModule } from './transport/runDirectly.js';

export interface SimStepsResult {
  steps: number;
  records: number;
  elapsedMs: number;
  stepsPerSec: number;
  recordsPerSec: number;
  /** Steps per second of this thread's CPU time (user + system): steadier than wall time on a busy machine. */
  cpuStepsPerSec: number;
  /**
   * With `allocation`: bytes a run of the same steps allocates per step (young generation,
   * youngAllocation.ts), what sets how often it scavenges, and its scavenges. Measured in a
   * second run after the timed one: V8's GC profiler costs the run it watches a few percent.
   */
  bytesPerStep?: number;
  scavenges?: number;
}

/** Steps of an untimed warm-up run (a new machine each). */
export const WARMUP_STEPS = 100_000;
/** Warm-up runs before a process's first measurement; one before each later one. */
export const FIRST_WARMUP_RUNS = 10;

/** Whether this process (thread) measured already: its hot code is compiled for the default scenario. */
let warmedUp = false;

export function measureSimSteps(options: { steps: number; seed?: number; vms?: number; warmupSteps?: number; allocation?: boolean }): SimStepsResult {
  const seed = options.seed ?? 1;
  const warmupSteps = options.warmupSteps ?? WARMUP_STEPS;
  if (warmupSteps > 0) {
    const warmup = defaultScenario(options.vms ?? 4, warmupSteps);
    const runs = warmedUp ? 1 : FIRST_WARMUP_RUNS;
    for (let i = 0; i < runs; i++) runSim({ scenario: warmup, seed: seed + 1 + i, steps: warmupSteps, choices: defaultStrategy(warmup, seed + 1 + i).choices });
    warmedUp = true;
  }
  const scenario = defaultScenario(options.vms ?? 4, options.steps);
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const result = runSim({ scenario, seed, steps: options.steps, choices: defaultStrategy(scenario, seed).choices });
  const cpu = process.cpuUsage(cpuBefore);
  const elapsedMs = performance.now() - started;
  const cpuMs = (cpu.user + cpu.system) / 1000;
  return {
    steps: result.steps, records: result.records, elapsedMs,
    stepsPerSec: result.steps / (elapsedMs / 1000), recordsPerSec: result.records / (elapsedMs / 1000),
    cpuStepsPerSec: result.steps / (cpuMs / 1000),
    ...(options.allocation === true ? allocationOf(scenario, seed, options.steps) : {}),
  };
}

function allocationOf(scenario: ReturnType<typeof defaultScenario>, seed: number, steps: number): { bytesPerStep: number; scavenges: number } {
  const { result, youngBytes, scavenges } = measureYoungAllocation(
    () => runSim({ scenario, seed, steps, choices: defaultStrategy(scenario, seed).choices }),
  );
  return { bytesPerStep: youngBytes / result.steps, scavenges };
}

if (isEntryModule(import.meta.url)) {
  const steps = Number(process.argv[2] ?? 200_000);
  const r = measureSimSteps({ steps, allocation: true });
  const n = (x: number): string => Math.round(x).toLocaleString('en-US');
  process.stdout.write(`${r.steps} steps, ${r.records} records in ${r.elapsedMs.toFixed(0)} ms: ${n(r.stepsPerSec)} steps/s (${n(r.cpuStepsPerSec)} per CPU second), ${n(r.recordsPerSec)} records/s, ${r.bytesPerStep!.toFixed(0)} bytes allocated per step (${r.scavenges!} scavenges in a run of as many steps)\n`);
}
