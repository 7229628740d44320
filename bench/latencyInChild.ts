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
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { relaunchArgs, thisProcess, V8_POOL_FLAG } from '../src/cli/relaunch.js';
import type { LatencyResult } from './latency.js';

/** The node flags `vmmsim run` would add here (the relaunch's, in this environment: a pool size in NODE_OPTIONS reaches the child as it is), and the other configuration to compare with. */
export function latencyConfigurations(): { asRun: string[]; other: string[] } {
  const relaunched = relaunchArgs(['run'], thisProcess()) !== null;
  return relaunched ? { asRun: [V8_POOL_FLAG], other: [] } : { asRun: [], other: [V8_POOL_FLAG] };
}

export async function measureInterruptLatencyInChild(durationMs: number, wakeRoundTrips: number, nodeFlags: readonly string[]): Promise<LatencyResult> {
  const fromSource = import.meta.url.endsWith('.ts');
  const script = fileURLToPath(new URL(fromSource ? './latency.ts' : './latency.js', import.meta.url));
  const args = [...nodeFlags, ...(fromSource ? ['--import', 'tsx'] : []), script, String(durationMs), String(wakeRoundTrips)];
  // Its own process group: a Ctrl-C at the terminal reaches the bench, which stops after this measurement.
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', done);
  });
  if (code !== 0) throw new Error(`the latency run (node ${args.join(' ')}) exited ${code}: ${stderr.trim()}`);
  return JSON.parse(stdout) as LatencyResult;
}
