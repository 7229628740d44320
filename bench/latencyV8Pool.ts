/**
 * The same interrupt → callback latency run, in a Node process whose V8 platform has one
 * background thread (`--v8-pool-size=1`) instead of four.
 *
 * Why it is measured: V8 compiles and collects garbage on its platform threads, shared by every
 * isolate of the process. A threaded run has seven isolates (VMM, PIC, VM actors) that all
 * compile their code in the first seconds; on 2 cores, four background threads busy with that
 * take the VMM actor's core away (measured: the VMM thread waited ~350 ms for a CPU in a 3 s
 * run, and the tail of the latency is those waits). One background thread still compiles off
 * the isolates' own threads, but takes at most one core. The flag can only be given when Node
 * starts, so this runs in a child process; users get the same with
 * `NODE_OPTIONS=--v8-pool-size=1` (README, Benchmarks).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { LatencyResult } from './latency.js';

export const V8_POOL_FLAG = '--v8-pool-size=1';

export async function measureInterruptLatencyV8PoolOne(durationMs: number, wakeRoundTrips: number): Promise<LatencyResult> {
  const script = new URL(import.meta.url.endsWith('.ts') ? './latency.ts' : './latency.js', import.meta.url);
  const loader = import.meta.url.endsWith('.ts') ? ['--import', 'tsx'] : [];
  const { stdout } = await promisify(execFile)(process.execPath, [V8_POOL_FLAG, ...loader, fileURLToPath(script), String(durationMs), String(wakeRoundTrips)], {
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(stdout) as LatencyResult;
}
