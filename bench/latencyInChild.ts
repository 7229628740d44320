/**
 * The interrupt → callback latency run (latency.ts) in a child Node process started with given
 * flags: the latency as `vmmsim run` and `vmmsim stress` get it, and beside it with the other
 * V8 platform pool size, as a comparison.
 *
 * Why the pool size matters: V8 compiles and collects garbage on its platform threads (four by
 * default), shared by every isolate of the process, and a threaded run has seven isolates that
 * all compile as the run starts; on 2 cores those threads take the VMM actor's core. `vmmsim run`
 * and `vmmsim stress` therefore start Node again with one platform thread on few cores
 * (src/cli/relaunch.ts); the flag exists only at Node's start, hence a child process here too.
 */
import { relaunchArgs, thisProcess, V8_POOL_FLAG } from '../src/cli/relaunch.js';
import { runBenchInChild } from './childRun.js';
import type { LatencyResult } from './latency.js';

/** The node flags `vmmsim run` would add here (the relaunch's, in this environment: a pool size in NODE_OPTIONS reaches the child as it is), and the other configuration to compare with. */
export function latencyConfigurations(): { asRun: string[]; other: string[] } {
  const relaunched = relaunchArgs(['run'], thisProcess()) !== null;
  return relaunched ? { asRun: [V8_POOL_FLAG], other: [] } : { asRun: [], other: [V8_POOL_FLAG] };
}

/** `vms`: VM actors (fewer: fewer busy threads); `tailGaps`: also what the VMM did between preemption points (latency.ts). */
export function measureInterruptLatencyInChild(durationMs: number, wakeRoundTrips: number, nodeFlags: readonly string[], vms = 4, tailGaps = false): Promise<LatencyResult> {
  const args = [String(durationMs), String(wakeRoundTrips), 'auto', String(vms), ...(tailGaps ? ['gaps'] : [])];
  return runBenchInChild<LatencyResult>('latency', args, nodeFlags);
}
