/**
 * What crosses Redis, as plain data (JSON in BullMQ jobs): a chunk of a campaign and its
 * summaries, one stress run and its report. Job ids derive from the campaign's name and the
 * chunk's index, so adding a job twice is a no-op and a result is found again by its index.
 *
 *   queue "explore": job "<campaign>-c<index>"  data ChunkJob   → result ChunkResult
 *                    (dfs over N workloads: chunk w is workload w's whole search)
 *   queue "stress":  job "<fleet>-r<index>"     data StressJob  → result StressRunResult
 *   key   "vmmsim:campaign:<name>"              the coordinator's checkpoint (checkpoint.ts)
 *   key   "vmmsim:campaign:<name>:stopped"      set when the campaign ended: workers skip its chunks
 *   key   "vmmsim:campaign:<name>:coordinator"  the live coordinator's lock (coordinatorLock.ts)
 */
import type { ThreadScenario } from '../actors/threads/orchestrator.js';
import type { ThreadsReport } from '../cli/threadsReport.js';
import type { DfsWorkloadDone } from '../explore/dfsPool.js';
import type { CampaignSpec, ExecutionSummary } from '../explore/spec.js';
import type { RunConfig } from '../shared/trace.js';
import type { ScenarioFile } from './scenarioFile.js';

/** BullMQ's key prefix: every key vmmsim keeps in Redis starts with it. */
export const PREFIX = 'vmmsim';
export const EXPLORE_QUEUE = 'explore';
export const STRESS_QUEUE = 'stress';

/** Campaign and fleet names: job ids are built from them (BullMQ ids may not contain ':'). */
export const NAME_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export interface ChunkJob {
  /** The coordinator's vmmsim build (`<version>+<fingerprint>`): a worker of another build refuses the job. */
  vmmsim: string;
  campaign: string;
  index: number;
  /** The campaign's spec exactly as the coordinator built it (its scenario reference included). */
  spec: CampaignSpec;
  /** Iterations [from, to); for dfs (`--workloads N`), workloads [from, from + 1): one workload's search. */
  from: number;
  to: number;
  /** A module scenario: where it is and what it holds (null for built-in and zoo scenarios). */
  scenarioFile: ScenarioFile | null;
}

export interface ChunkResult {
  /** The worker process that ran it ("host:pid"). */
  worker: string;
  /** Null when the worker skipped the chunk because the campaign had already ended; [] for a dfs workload's search (see `dfs`). */
  summaries: ExecutionSummary[] | null;
  /** A dfs workload's search: how it ended and its executions' fold, numbered from 0. */
  dfs?: DfsWorkloadDone;
  /** Time the chunk took on the worker, for executions/s per worker. */
  elapsedMs: number;
  /** BullMQ's count of starts: above 1 when the chunk was retried (a worker died holding it). */
  attemptsStarted: number;
}

export interface StressJob {
  vmmsim: string;
  fleet: string;
  index: number;
  seed: number;
  scenario: ThreadScenario;
  scenarioFile: ScenarioFile | null;
  config: RunConfig;
  durationMs: number;
  irqScale: number;
}

export interface StressRunResult {
  worker: string;
  seed: number;
  /** The run's report, as `vmmsim stress --json` prints it. */
  report: ThreadsReport;
  /** The run's trace, gzip + base64, shipped back when the run had a violation or crashed. */
  traceGzBase64: string | null;
  /** A trace that was not shipped: its gzipped size, above the worker's bound (SHIPPED_TRACE_MAX_BYTES). */
  traceWithheld?: { gzBytes: number; maxBytes: number };
}

/**
 * The largest trace (gzipped) a stress run ships back. Redis holds a job's result whole, and
 * the trace of an hours-long run would be hundreds of MB there (20 s of a flaky driver made
 * 1.6 MB); such a run reports its violations without its trace.
 */
export const SHIPPED_TRACE_MAX_BYTES = 64 * 1024 * 1024;

export function chunkJobId(campaign: string, index: number): string {
  return `${campaign}-c${index}`;
}

export function stressJobId(fleet: string, index: number): string {
  return `${fleet}-r${index}`;
}

export function checkpointKey(campaign: string): string {
  return `${PREFIX}:campaign:${campaign}`;
}

export function stoppedKey(campaign: string): string {
  return `${PREFIX}:campaign:${campaign}:stopped`;
}

export function coordinatorKey(campaign: string): string {
  return `${PREFIX}:campaign:${campaign}:coordinator`;
}

/** BullMQ keeps finished jobs this long at most (a coordinator removes them once folded). */
export const KEEP_FINISHED_S = 24 * 3600;
/** A finished campaign's checkpoint (its result) stays this long: re-running it prints the result. An unfinished one stays this long after its last progress (a resume within it goes on). */
export const KEEP_CAMPAIGN_S = 7 * 24 * 3600;
/** A chunk that throws is tried this often; a chunk whose worker died is retried by the stall check. */
export const CHUNK_ATTEMPTS = 2;
