/**
 * `vmmsim stress --queue --runs N`: N independent threaded runs of one stress configuration,
 * seeds seed, seed+1, ..., seed+N-1, each on some worker, and one report over all of them.
 * Each run's report comes back whole; a run that broke an invariant, found a device bug or
 * crashed also ships its trace back, and the coordinator writes it here
 * (vmmsim-traces/stress-<scenario>-<seed>-<run id>.json), so the replay command it prints works
 * on this machine.
 * Job ids derive from the fleet's name (a digest of the configuration), so running the same
 * command again, after an interruption, picks up the runs Redis already holds. At most
 * WINDOW_RUNS runs are queued at a time.
 */
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import type { ThreadScenario } from '../actors/threads/orchestrator.js';
import type { RunConfig } from '../shared/trace.js';
import { ChunkFailedError } from './errors.js';
import { STRESS_QUEUE, stressJobId, type StressJob, type StressRunResult } from './protocol.js';
import { QueueClient } from './queueClient.js';
import type { QueueUrl } from './queueUrl.js';
import { describeScenarioFile } from './scenarioFile.js';
import { buildId } from '../shared/packageInfo.js';

export interface StressFleetOptions {
  url: QueueUrl;
  runs: number;
  seed: number;
  scenario: ThreadScenario;
  config: RunConfig;
  durationMs: number;
  irqScale: number;
  /** Polled while waiting, run by run: true stops waiting (SIGINT). */
  cancelled(): boolean;
  /** Each run as it comes back (the fleet keeps nothing of it: the caller writes its trace and keeps its report). */
  onRun(result: StressRunResult, done: number): void;
}

export interface StressFleetOutcome {
  fleet: string;
  /** How many runs came back. */
  done: number;
  interrupted: boolean;
}

/**
 * Runs in the queue at a time. All N were queued at once and every sweep polled each of them:
 * at --runs 20,000, Redis served 9,000-31,000 commands a second to an idle coordinator, and
 * Ctrl-C took 14-16 s to act (an outside audit). Now a sweep polls at most this many.
 */
export const WINDOW_RUNS = 256;

export function runSeed(seed: number, index: number): number {
  return (seed + index) >>> 0;
}

export async function runStressFleet(o: StressFleetOptions): Promise<StressFleetOutcome> {
  const scenarioFile = o.scenario.kind === 'module' ? describeScenarioFile(o.scenario.path) : null;
  const identity = { scenario: o.scenario, sha256: scenarioFile?.sha256 ?? null, config: o.config, durationMs: o.durationMs, irqScale: o.irqScale, seed: o.seed, runs: o.runs };
  const fleet = `s${createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 16)}`;
  const job = (index: number): StressJob => ({
    vmmsim: buildId(), fleet, index, seed: runSeed(o.seed, index), scenario: o.scenario, scenarioFile, config: o.config, durationMs: o.durationMs, irqScale: o.irqScale,
  });
  const client = new QueueClient<StressJob, StressRunResult>(o.url, STRESS_QUEUE);
  // Which runs came back: a bit each, not their results (a run's trace is written as it comes,
  // and its report kept by the caller), so memory does not grow with shipped traces.
  const back = new Uint8Array(o.runs);
  let done = 0;
  let lowest = 0;
  let queuedTo = 0;
  const queueUpTo = async (end: number): Promise<void> => {
    const jobs = [];
    for (let index = queuedTo; index < end; index++) jobs.push({ jobId: stressJobId(fleet, index), data: job(index) });
    await client.addMany(jobs);
    queuedTo = Math.max(queuedTo, end);
  };
  /** The runs of the window not back yet: all of them (the fleet failed), or (interrupted) those no worker took. */
  const removeOutstanding = async (which: 'all' | 'waiting', except = -1): Promise<void> => {
    for (let index = lowest; index < queuedTo; index++) {
      if (back[index] === 1 || index === except) continue;
      if (which === 'all') await client.remove(stressJobId(fleet, index));
      else await client.removeWaiting(stressJobId(fleet, index));
    }
  };
  try {
    await client.ready();
    await queueUpTo(Math.min(o.runs, WINDOW_RUNS));
    while (done < o.runs && !o.cancelled()) {
      for (let index = lowest; index < queuedTo && !o.cancelled(); index++) {
        if (back[index] === 1) continue;
        const jobId = stressJobId(fleet, index);
        const outcome = await client.outcome(jobId);
        if (outcome.state === 'failed') {
          // The fleet ends: its runs still waiting go, so that workers do not run them for nothing.
          await removeOutstanding('all', index);
          await client.remove(jobId);
          throw new ChunkFailedError(`stress run ${index} (seed ${runSeed(o.seed, index)}) failed on a worker: ${outcome.reason}`);
        }
        if (outcome.state === 'missing') await client.add(jobId, job(index));
        if (outcome.state !== 'completed') continue;
        back[index] = 1;
        o.onRun(outcome.result, ++done);
      }
      while (lowest < o.runs && back[lowest] === 1) lowest++;
      await queueUpTo(Math.min(o.runs, lowest + WINDOW_RUNS));
      if (done < o.runs && !o.cancelled()) await client.settle();
    }
    // Interrupted: the runs not started go (the same command adds them again); the running ones
    // finish, and their results wait in Redis with those already back, for the same command.
    if (done < o.runs) await removeOutstanding('waiting');
    else for (let index = 0; index < o.runs; index++) await client.remove(stressJobId(fleet, index));
  } finally {
    await client.close();
  }
  return { fleet, done, interrupted: done < o.runs };
}

/** A shipped trace, as the JSON text to write. */
export function traceText(result: StressRunResult): string | null {
  return result.traceGzBase64 === null ? null : gunzipSync(Buffer.from(result.traceGzBase64, 'base64')).toString('utf8');
}
