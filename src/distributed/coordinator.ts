/**
 * `vmmsim explore --queue`: a campaign of a seeded strategy run by any number of workers
 * through Redis. It wraps the local campaign rather than replacing it: a chunk is
 * runSeededBatch(spec, from, to) on some worker (src/explore/batch.ts), and the coordinator
 * folds the chunks' summaries with the same CampaignAccumulator, in iteration order. Iteration i
 * depends only on (spec, i), so the result equals the one-worker result whatever finishes first.
 *
 * The loop: chunks [next, next + WINDOW) are enqueued (job ids from the campaign's name and the
 * chunk index: adding one twice is a no-op); the coordinator waits for chunk `next` only,
 * folds it, writes the checkpoint, removes the job, enqueues one more. Later chunks finish
 * meanwhile and wait in Redis. At the first violation (unless keepGoing) the campaign is marked
 * stopped: waiting chunks are removed, and workers skip the ones they already hold.
 *
 * dfs over N workloads (`--strategy dfs --workloads N`): each workload's search depends on
 * (spec, w) alone (explore/dfsWorkloads.ts), so chunk w is workload w's whole search on some
 * worker, and the coordinator folds the searches in workload order as the local pool does
 * (explore/dfsPool.ts): the same executions, numbered the same, the same first violation and
 * the same "exhausted". A later workload's search may run while an earlier one finds a
 * violation (no shared stop flag across machines); it is then reported as not searched, as
 * the one-thread campaign never starts it. dfs of one workload is one search whose every
 * execution depends on the one before: it stays on one thread, and is refused here.
 */
import { performance } from 'node:perf_hooks';
import { dfsResult, type CampaignHooks, type CampaignResult } from '../explore/campaign.js';
import { campaignGoesOn, notSearched, type DfsWorkloadOutcome } from '../explore/dfsWorkloads.js';
import type { CampaignSpec } from '../explore/spec.js';
import { workloadCount } from '../explore/workloads.js';
import { freshCheckpoint, freshDfsCheckpoint, loadCheckpoint, restoreAccumulator, saveAccumulator, specDigest, type Checkpoint } from './checkpoint.js';
import { CoordinatorLock, type LockOptions } from './coordinatorLock.js';
import { CampaignMismatchError, ChunkFailedError } from './errors.js';
import { chunkJobId, EXPLORE_QUEUE, stoppedKey, type ChunkJob, type ChunkResult } from './protocol.js';
import { QueueClient } from './queueClient.js';
import type { QueueUrl } from './queueUrl.js';
import { describeScenarioFile, type ScenarioFile } from './scenarioFile.js';
import { buildId } from '../shared/packageInfo.js';
import { WorkerStats, type WorkerFigures } from './workerStats.js';

/** How long the coordinator waits for a chunk before it says so. */
const QUIET_MS = 5_000;
/** Chunks enqueued ahead of the fold: enough to keep many workers busy, few enough to bound Redis. */
const WINDOW_CHUNKS = 256;

export interface QueueCampaignOptions {
  url: QueueUrl;
  /** Default: derived from the spec, so the same command resumes the same campaign. */
  campaign?: string;
  chunkSize?: number;
  hooks?: CampaignHooks;
  /** Called once the campaign is known (fresh, resumed, or already finished). */
  onStart?(campaign: string, checkpoint: Readonly<Checkpoint>): void;
  /** Called when a chunk has not come back for a while (no worker running?). */
  onQuiet?(campaign: string): void;
  /** Called after every chunk folded. */
  onChunk?(stats: WorkerStats, folded: number, chunks: number): void;
  /** The campaign lock's TTL (tests). */
  lock?: LockOptions;
}

export interface QueueCampaignOutcome {
  result: CampaignResult;
  campaign: string;
  chunkSize: number;
  chunks: number;
  /** The chunk this run started folding at (above 0: it resumed a campaign Redis held). */
  resumedAtChunk: number;
  chunksRetried: number;
  workers: WorkerFigures[];
  /** Executions of chunks computed since this run started (a resume folds some computed before it). */
  executionsHere: number;
  /** False when interrupted before the campaign ended (it can be resumed). */
  finished: boolean;
}

/** Iterations per chunk: about 64 chunks a campaign, each between 8 and 128 executions. */
export function queueChunkSize(iterations: number): number {
  return Math.max(8, Math.min(128, Math.ceil(iterations / 64)));
}

export function defaultCampaignName(spec: CampaignSpec, file: ScenarioFile | null): string {
  return `c${specDigest(spec, file).slice(0, 16)}`;
}

export function scenarioFileOf(spec: CampaignSpec): ScenarioFile | null {
  return spec.scenarioRef.kind === 'module' ? describeScenarioFile(spec.scenarioRef.path) : null;
}

export async function runCampaignOnQueue(spec: CampaignSpec, options: QueueCampaignOptions): Promise<QueueCampaignOutcome> {
  const dfs = spec.strategy === 'dfs';
  if (dfs && workloadCount(spec) === 1) {
    throw new CampaignMismatchError('dfs of one workload runs on one thread (each execution depends on the one before); with --queue, use --workloads N: its N searches run as jobs, one per workload');
  }
  if (dfs && options.chunkSize !== undefined) throw new CampaignMismatchError('--chunk does not apply to --strategy dfs (each job is one workload\'s whole search)');
  const file = scenarioFileOf(spec);
  const digest = specDigest(spec, file);
  const campaign = options.campaign ?? defaultCampaignName(spec, file);
  // The lock first: a second coordinator of this campaign reads and writes nothing.
  const lock = await CoordinatorLock.take(options.url, campaign, options.lock);
  const client = new QueueClient<ChunkJob, ChunkResult>(options.url, EXPLORE_QUEUE);
  try {
    await client.ready();
    const redis = await client.queue.client;
    const stored = await loadCheckpoint(redis, campaign);
    if (stored !== null && stored.specDigest !== digest) {
      throw new CampaignMismatchError(`campaign ${campaign} in Redis runs another spec, scenario version or vmmsim build; pick another --campaign name`);
    }
    const checkpoint: Checkpoint = stored ?? (dfs ? freshDfsCheckpoint(digest, spec, workloadCount(spec)) : freshCheckpoint(digest, spec, options.chunkSize ?? queueChunkSize(spec.iterations)));
    if (stored === null) {
      // Written before any job exists, so that a restart cuts chunks the same way whatever --chunk says.
      await redis.del(stoppedKey(campaign));
      await lock.writeCheckpoint(checkpoint);
    }
    options.onStart?.(campaign, checkpoint);
    const run = new CampaignRun(client, lock, spec, campaign, file, checkpoint, options);
    return await run.execute();
  } finally {
    await client.close();
    await lock.release();
  }
}

class CampaignRun {
  private readonly stats = new WorkerStats();
  private readonly acc;
  private readonly resumedAtChunk: number;
  private enqueuedTo: number;

  constructor(
    private readonly client: QueueClient<ChunkJob, ChunkResult>,
    private readonly lock: CoordinatorLock,
    private readonly spec: CampaignSpec,
    private readonly campaign: string,
    private readonly file: ScenarioFile | null,
    private readonly checkpoint: Checkpoint,
    private readonly options: QueueCampaignOptions,
  ) {
    this.acc = restoreAccumulator(checkpoint.acc, spec.keepGoing);
    this.resumedAtChunk = checkpoint.nextChunk;
    this.enqueuedTo = checkpoint.nextChunk;
  }

  async execute(): Promise<QueueCampaignOutcome> {
    try {
      return await this.foldAll();
    } catch (error) {
      // A chunk no worker could run ends the campaign: its chunks still waiting are removed, so
      // the fleet does not compute a dead campaign before the next one (an outside audit).
      if (error instanceof ChunkFailedError) await this.removeRemaining();
      throw error;
    }
  }

  private async foldAll(): Promise<QueueCampaignOutcome> {
    const cp = this.checkpoint;
    let interrupted = false;
    if (cp.status === 'running') {
      await this.enqueueUpTo(Math.min(cp.chunks, cp.nextChunk + WINDOW_CHUNKS));
      while (cp.nextChunk < cp.chunks) {
        if (this.options.hooks?.cancelled?.()) {
          interrupted = true;
          break;
        }
        this.lock.check();
        const chunk = await this.awaitChunk(cp.nextChunk);
        if (chunk === null) {
          interrupted = true;
          break;
        }
        const goOn = this.fold(cp.nextChunk, chunk.result, chunk.here);
        cp.nextChunk++;
        if (!goOn || cp.nextChunk >= cp.chunks) cp.status = 'done';
        cp.acc = saveAccumulator(this.acc);
        await this.lock.writeCheckpoint(cp);
        await this.client.remove(chunkJobId(this.campaign, cp.nextChunk - 1));
        this.options.onChunk?.(this.stats, cp.nextChunk, cp.chunks);
        if (cp.status === 'done') break;
        await this.enqueueUpTo(Math.min(cp.chunks, cp.nextChunk + WINDOW_CHUNKS));
      }
      // Interrupted, the chunks still waiting go too: the fleet would otherwise compute up to
      // WINDOW_CHUNKS of them for a campaign that may be abandoned (an outside audit). A resume
      // adds them again; the chunks workers hold finish, and their results wait for it.
      if (cp.status === 'done') await this.removeRemaining();
      else if (interrupted) await this.removeWaiting();
    }
    return {
      result: this.result(), campaign: this.campaign, chunkSize: cp.chunkSize, chunks: cp.chunks, resumedAtChunk: this.resumedAtChunk,
      chunksRetried: this.stats.chunksRetried, workers: this.stats.figures(), executionsHere: this.stats.executionsHere, finished: !interrupted,
    };
  }

  /** dfs: every workload's outcome, those the campaign did not reach (or not yet) as not searched. */
  private result(): CampaignResult {
    const outcomes = this.checkpoint.dfsOutcomes;
    if (outcomes === undefined) return this.acc.result();
    const all = [...outcomes];
    for (let w = all.length; w < this.checkpoint.chunks; w++) all.push(notSearched(this.spec, w));
    return dfsResult(this.acc, all);
  }

  /** Folds one chunk's summaries in iteration order; false when the campaign stops here. */
  private fold(index: number, result: ChunkResult, here: boolean): boolean {
    if (this.checkpoint.dfsOutcomes !== undefined) return this.foldSearch(index, result, this.checkpoint.dfsOutcomes, here);
    const summaries = result.summaries!;
    const from = index * this.checkpoint.chunkSize;
    if (summaries.length === 0 || summaries[0]!.iteration !== from) throw new ChunkFailedError(`chunk ${index} of campaign ${this.campaign} does not start at iteration ${from}`);
    this.stats.add(result.worker, summaries.length, result.attemptsStarted, here);
    for (const summary of summaries) {
      const goOn = this.acc.add(summary);
      this.options.hooks?.onExecution?.(summary, this.acc);
      if (!goOn) return false;
    }
    return true;
  }

  /** Folds workload `index`'s search after the ones before it (dfsPool.ts folds the same way); false when the campaign stops here. */
  private foldSearch(index: number, result: ChunkResult, outcomes: DfsWorkloadOutcome[], here: boolean): boolean {
    const done = result.dfs;
    if (done === undefined || done.outcome.workload !== index) throw new ChunkFailedError(`chunk ${index} of campaign ${this.campaign} is not workload ${index}'s search`);
    this.stats.add(result.worker, done.outcome.executions, result.attemptsStarted, here);
    this.acc.merge(done.fold, this.acc.executions);
    this.options.hooks?.onFold?.(this.acc);
    outcomes.push(done.outcome);
    return campaignGoesOn(done.outcome, this.spec.keepGoing);
  }

  /** The chunk's result, and whether it was computed since this coordinator started; null if the campaign was cancelled meanwhile. */
  private async awaitChunk(index: number): Promise<{ result: ChunkResult; here: boolean } | null> {
    const jobId = chunkJobId(this.campaign, index);
    const startedMs = performance.now();
    for (let warned = false; !this.options.hooks?.cancelled?.(); ) {
      // Taken over while this one waited (it was paused past the lock's TTL): the new holder may
      // have finished and stopped the campaign, and workers skip its chunks; re-adding them
      // would go on for ever (an outside audit: ~34,000 Redis commands a second until Ctrl-C).
      this.lock.check();
      if (!warned && performance.now() - startedMs > QUIET_MS) {
        warned = true;
        this.options.onQuiet?.(this.campaign);
      }
      const outcome = await this.client.outcome(jobId);
      if (outcome.state === 'completed' && outcome.result.summaries !== null) return { result: outcome.result, here: this.client.finishedSinceOpened(outcome.job) };
      if (outcome.state === 'failed') throw new ChunkFailedError(`chunk ${index} of campaign ${this.campaign} failed on a worker: ${outcome.reason}`);
      // Gone (expired, or removed by hand), or skipped by a worker that saw a stale stop mark: compute it again.
      if (outcome.state === 'missing' || outcome.state === 'completed') {
        if (outcome.state === 'completed') await this.client.remove(jobId);
        await this.client.add(jobId, this.chunkJob(index));
      }
      await this.client.settle();
    }
    return null;
  }

  private async enqueueUpTo(end: number): Promise<void> {
    const jobs = [];
    for (let index = this.enqueuedTo; index < end; index++) jobs.push({ jobId: chunkJobId(this.campaign, index), data: this.chunkJob(index) });
    await this.client.addMany(jobs);
    this.enqueuedTo = Math.max(this.enqueuedTo, end);
  }

  private chunkJob(index: number): ChunkJob {
    if (this.checkpoint.dfsOutcomes !== undefined) return { vmmsim: buildId(), campaign: this.campaign, index, spec: this.spec, from: index, to: index + 1, scenarioFile: this.file };
    const size = this.checkpoint.chunkSize;
    return { vmmsim: buildId(), campaign: this.campaign, index, spec: this.spec, from: index * size, to: Math.min(this.spec.iterations, (index + 1) * size), scenarioFile: this.file };
  }

  /** After the end: chunks still waiting are removed; ones a worker holds are skipped by it (the stop mark) or expire. */
  private async removeRemaining(): Promise<void> {
    for (let index = this.checkpoint.nextChunk; index < this.enqueuedTo; index++) await this.client.remove(chunkJobId(this.campaign, index));
  }

  /** Interrupted: the chunks no worker took yet; the running and finished ones stay for the resume to fold. */
  private async removeWaiting(): Promise<void> {
    for (let index = this.checkpoint.nextChunk; index < this.enqueuedTo; index++) await this.client.removeWaiting(chunkJobId(this.campaign, index));
  }
}
