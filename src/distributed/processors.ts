/**
 * What a `vmmsim worker` does with one job. A chunk of a campaign runs on the worker's local
 * piscina pool (the same batch task as `explore --workers`); a stress run runs on threads here,
 * and its report comes back with its trace when the run had a violation or crashed (gzip +
 * base64 in the job's result, so the coordinator writes it where its user can replay it).
 *
 * Both take an abort signal: a worker that must stop now (a second SIGINT) gives the job back
 * to the queue (moved to wait, for another worker) instead of finishing it.
 */
import { performance } from 'node:perf_hooks';
import { gzipSync } from 'node:zlib';
import { UnrecoverableError, WaitingError, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { runThreads, type ThreadScenario } from '../actors/threads/orchestrator.js';
import { threadsReport } from '../cli/threadsReport.js';
import type { BatchTask } from '../explore/batch.js';
import type { DfsWorkloadDone, DfsWorkloadTask } from '../explore/dfsPool.js';
import type { CampaignSpec, ExecutionSummary } from '../explore/spec.js';
import { namesOf, WorkerHung, type WatchedPool } from '../explore/watchedPool.js';
import { SHIPPED_TRACE_MAX_BYTES, type ChunkJob, type ChunkResult, type StressJob, type StressRunResult } from './protocol.js';
import { ScenarioFileCheck, ScenarioFileError, type ScenarioFile } from './scenarioFile.js';
import { buildId } from '../shared/packageInfo.js';
import { newRunId } from '../shared/runId.js';

export interface ProcessorContext {
  worker: string;
  pool: WatchedPool;
  files: ScenarioFileCheck;
  /** Aborted when the worker must give its jobs back and stop at once. */
  abort: AbortSignal;
  log: Logger;
  /** Whether a campaign has ended (its remaining chunks are skipped). */
  campaignStopped(campaign: string): Promise<boolean>;
}

export async function processChunk(ctx: ProcessorContext, job: Job<ChunkJob, ChunkResult>, token: string | undefined): Promise<ChunkResult> {
  const data = job.data;
  sameBuild(data.vmmsim);
  if (await ctx.campaignStopped(data.campaign)) return { worker: ctx.worker, summaries: null, elapsedMs: 0, attemptsStarted: job.attemptsStarted };
  const spec = localSpec(ctx, data.spec, data.scenarioFile);
  ctx.log.info({ campaign: data.campaign, chunk: data.index, from: data.from, to: data.to, attempt: job.attemptsStarted }, 'chunk started');
  const started = performance.now();
  if (spec.strategy === 'dfs') return processSearch(ctx, job, token, spec, started);
  const task: BatchTask = { spec, from: data.from, to: data.to };
  const summaries = await giveBackIfAborted(ctx, job, token, ctx.pool.run<BatchTask, ExecutionSummary[]>(task, namesOf(spec.scenarioRef), { signal: ctx.abort }));
  const elapsedMs = performance.now() - started;
  ctx.log.info({ campaign: data.campaign, chunk: data.index, executions: summaries.length, elapsedMs: Math.round(elapsedMs) }, 'chunk done');
  return { worker: ctx.worker, summaries, elapsedMs, attemptsStarted: job.attemptsStarted };
}

/** dfs over N workloads: the chunk is workload `from`'s whole search, on the local pool (the task `explore --workers` runs). */
async function processSearch(ctx: ProcessorContext, job: Job<ChunkJob, ChunkResult>, token: string | undefined, spec: CampaignSpec, started: number): Promise<ChunkResult> {
  const workload = job.data.from;
  // The search's stop flag: never raised here (an abort gives the job back instead).
  const task: DfsWorkloadTask = { spec, workload, stop: new Int32Array(new SharedArrayBuffer((workload + 1) * Int32Array.BYTES_PER_ELEMENT)) };
  const dfs = await giveBackIfAborted(ctx, job, token, ctx.pool.run<DfsWorkloadTask, DfsWorkloadDone>(task, namesOf(spec.scenarioRef), { name: 'runDfsWorkload', signal: ctx.abort }));
  const elapsedMs = performance.now() - started;
  ctx.log.info({ campaign: job.data.campaign, workload, executions: dfs.outcome.executions, status: dfs.outcome.status, elapsedMs: Math.round(elapsedMs) }, 'workload search done');
  return { worker: ctx.worker, summaries: [], dfs, elapsedMs, attemptsStarted: job.attemptsStarted };
}

export async function processStress(ctx: ProcessorContext, job: Job<StressJob, StressRunResult>, token: string | undefined): Promise<StressRunResult> {
  const data = job.data;
  sameBuild(data.vmmsim);
  verifyFile(ctx, data.scenarioFile);
  const scenario: ThreadScenario = data.scenarioFile !== null ? { kind: 'module', path: data.scenarioFile.path } : data.scenario;
  ctx.log.info({ fleet: data.fleet, run: data.index, seed: data.seed }, 'stress run started');
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  ctx.abort.addEventListener('abort', stop);
  try {
    const result = await runThreads({
      scenario, seed: data.seed, config: data.config, durationMs: data.durationMs, irqScale: data.irqScale, signal: controller.signal,
      command: `stress --seed ${data.seed}`,
    });
    if (ctx.abort.aborted) return await giveBack(ctx, job, token);
    const report = threadsReport(result, { command: 'stress', runId: newRunId(), seed: data.seed, config: data.config, tracePath: null, faults: [] });
    const keepTrace = result.trace !== null && (!report.invariantsOk || report.deviceBugs > 0 || result.outcome === 'crashed');
    ctx.log.info({ fleet: data.fleet, run: data.index, outcome: result.outcome, violations: report.violations.length }, 'stress run done');
    const gz = keepTrace ? gzipSync(JSON.stringify(result.trace)) : null;
    const maxBytes = shippedTraceMaxBytes();
    const shipped = gz !== null && gz.length <= maxBytes;
    return {
      worker: ctx.worker, seed: data.seed, report,
      traceGzBase64: shipped ? gz.toString('base64') : null,
      ...(gz !== null && !shipped ? { traceWithheld: { gzBytes: gz.length, maxBytes } } : {}),
    };
  } finally {
    ctx.abort.removeEventListener('abort', stop);
  }
}

/** The spec as this machine runs it: a module scenario at the coordinator's absolute path. */
function localSpec(ctx: ProcessorContext, spec: CampaignSpec, file: ScenarioFile | null): CampaignSpec {
  verifyFile(ctx, file);
  if (file === null || spec.scenarioRef.kind !== 'module') return spec;
  return { ...spec, scenarioRef: { ...spec.scenarioRef, path: file.path } };
}

/** SHIPPED_TRACE_MAX_BYTES, or VMMSIM_SHIPPED_TRACE_MAX_BYTES where set (the tests: a small bound). */
function shippedTraceMaxBytes(): number {
  const set = Number(process.env['VMMSIM_SHIPPED_TRACE_MAX_BYTES']);
  return Number.isInteger(set) && set > 0 ? set : SHIPPED_TRACE_MAX_BYTES;
}

/** A job of another build is refused: another model could compute other results (packageInfo.ts). */
export function sameBuild(coordinators: string): void {
  const mine = buildId();
  if (coordinators === mine) return;
  const [myVersion] = mine.split('+');
  const [theirVersion] = coordinators.split('+');
  throw new UnrecoverableError(myVersion === theirVersion
    ? `this worker runs vmmsim build ${mine}, the coordinator build ${coordinators}: the same version built from other code (rebuild both from the same sources)`
    : `this worker runs vmmsim ${mine}, the coordinator ${coordinators}`);
}

function verifyFile(ctx: ProcessorContext, file: ScenarioFile | null): void {
  if (file === null) return;
  try {
    ctx.files.verify(file);
  } catch (error) {
    // Retrying cannot help: another worker would read the same shared path.
    if (error instanceof ScenarioFileError) throw new UnrecoverableError(error.message);
    throw error;
  }
}

async function giveBackIfAborted<T>(ctx: ProcessorContext, job: Job, token: string | undefined, work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (ctx.abort.aborted) return giveBack(ctx, job, token);
    // Device code that never returns does so again on any worker: the chunk fails for good, with the watchdog's line.
    if (error instanceof WorkerHung) throw new UnrecoverableError(error.message);
    throw error;
  }
}

/** Back to the wait list, for another worker; the throw tells BullMQ the job moved. */
async function giveBack(ctx: ProcessorContext, job: Job, token: string | undefined): Promise<never> {
  await job.moveToWait(token);
  ctx.log.info({ job: job.id }, 'job given back');
  throw new WaitingError();
}
