/**
 * `vmmsim stress --queue --runs N`: N independent threaded runs of one stress configuration,
 * seeds seed, seed+1, ..., seed+N-1, each on some worker, and one report over all of them.
 * Each run's report comes back whole; a run that broke an invariant, found a device bug or
 * crashed also ships its trace back, and the coordinator writes it here
 * (vmmsim-traces/stress-<scenario>-<seed>-<run id>.json), so the replay command it prints works
 * on this machine.
 * Job ids derive from the fleet's name (a digest of the configuration), so running the same
 * command again, after an interruption, picks up the runs Redis already holds.
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
  /** Polled while waiting: true stops waiting (SIGINT); the runs stay queued. */
  cancelled(): boolean;
  /** Each run as it comes back. */
  onRun?(result: StressRunResult, done: number): void;
}

export interface StressFleetOutcome {
  fleet: string;
  /** By run index; null for a run that had not come back when the wait was interrupted. */
  results: (StressRunResult | null)[];
  interrupted: boolean;
}

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
  const results: (StressRunResult | null)[] = Array.from({ length: o.runs }, () => null);
  let done = 0;
  try {
    await client.ready();
    await client.addMany(results.map((_, index) => ({ jobId: stressJobId(fleet, index), data: job(index) })));
    while (done < o.runs && !o.cancelled()) {
      for (let index = 0; index < o.runs; index++) {
        if (results[index] !== null) continue;
        const jobId = stressJobId(fleet, index);
        const outcome = await client.outcome(jobId);
        if (outcome.state === 'failed') {
          // The fleet ends: its runs still waiting go, so that workers do not run them for nothing.
          for (let other = 0; other < o.runs; other++) if (results[other] === null && other !== index) await client.remove(stressJobId(fleet, other));
          await client.remove(jobId);
          throw new ChunkFailedError(`stress run ${index} (seed ${runSeed(o.seed, index)}) failed on a worker: ${outcome.reason}`);
        }
        if (outcome.state === 'missing') await client.add(jobId, job(index));
        if (outcome.state !== 'completed') continue;
        results[index] = outcome.result;
        o.onRun?.(outcome.result, ++done);
      }
      if (done < o.runs) await client.settle();
    }
    if (done === o.runs) for (let index = 0; index < o.runs; index++) await client.remove(stressJobId(fleet, index));
  } finally {
    await client.close();
  }
  return { fleet, results, interrupted: done < o.runs };
}

/** A shipped trace, as the JSON text to write. */
export function traceText(result: StressRunResult): string | null {
  return result.traceGzBase64 === null ? null : gunzipSync(Buffer.from(result.traceGzBase64, 'base64')).toString('utf8');
}
