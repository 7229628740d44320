/**
 * `vmmsim worker`: takes campaign chunks and stress runs from Redis until told to stop.
 *
 * Chunks run `concurrency` at a time on a local piscina pool of as many threads; stress runs one
 * at a time (each is a whole machine of threads). Every job holds a BullMQ lock that the worker
 * renews while it runs; a worker that dies (SIGKILL, power loss) stops renewing, and after
 * lockDurationMs the stall check of any live worker puts its jobs back in the queue. So a
 * chunk is never lost, and since its result is a pure function of (spec, chunk), a chunk
 * computed twice is the same chunk.
 *
 * stop(false): take no new job, finish the running ones. stop(true): give running jobs back.
 */
import { hostname } from 'node:os';
import { Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { workerOptions } from '../explore/pool.js';
import { WatchedPool } from '../explore/watchedPool.js';
import { campaignStopped } from './checkpoint.js';
import { isConnectionLost, oneLine } from './connection.js';
import { processChunk, processStress, type ProcessorContext } from './processors.js';
import { EXPLORE_QUEUE, PREFIX, STRESS_QUEUE, type ChunkJob, type ChunkResult, type StressJob, type StressRunResult } from './protocol.js';
import { type QueueUrl, redisOptions } from './queueUrl.js';
import { ScenarioFileCheck } from './scenarioFile.js';

export const DEFAULT_LOCK_DURATION_MS = 10_000;
/** A chunk whose workers died this often is failed (something kills every worker that takes it). */
const MAX_STALLED = 3;

export interface WorkerOptions {
  url: QueueUrl;
  concurrency: number;
  lockDurationMs: number;
  log: Logger;
  /** A job this worker took failed (a job's id, the reason in one line). */
  onJobFailed?: (job: string, message: string) => void;
}

export type WorkerEnd = { reason: 'stopped' } | { reason: 'lost'; message: string };

export interface RunningWorker {
  id: string;
  stop(now: boolean): Promise<void>;
  /** Resolves when the worker has stopped, or lost Redis for good. */
  ended: Promise<WorkerEnd>;
}

export function startWorker(options: WorkerOptions): RunningWorker {
  const id = `${hostname()}:${process.pid}`;
  const pool = new WatchedPool(workerOptions(options.concurrency));
  const aborter = new AbortController();
  const ctx: ProcessorContext = {
    worker: id, pool, files: new ScenarioFileCheck(), abort: aborter.signal, log: options.log,
    campaignStopped: async (campaign) => campaignStopped(await workers[0]!.client, campaign),
  };
  const common = {
    connection: redisOptions(options.url), prefix: PREFIX, name: id,
    lockDuration: options.lockDurationMs, stalledInterval: Math.max(500, Math.round(options.lockDurationMs / 2)), maxStalledCount: MAX_STALLED,
  };
  const workers = [
    new Worker<ChunkJob, ChunkResult>(EXPLORE_QUEUE, (job: Job<ChunkJob, ChunkResult>, token) => processChunk(ctx, job, token), { ...common, concurrency: options.concurrency }),
    new Worker<StressJob, StressRunResult>(STRESS_QUEUE, (job: Job<StressJob, StressRunResult>, token) => processStress(ctx, job, token), { ...common, concurrency: 1 }),
  ];
  let settle: (end: WorkerEnd) => void = () => undefined;
  const ended = new Promise<WorkerEnd>((resolve) => (settle = resolve));
  let closing: Promise<void> | null = null;
  const close = async (force: boolean): Promise<void> => {
    await Promise.allSettled(workers.map((w) => w.close(force)));
    await pool.destroy();
  };
  for (const worker of workers) {
    worker.on('error', (error) => {
      options.log.warn({ err: oneLine(error) }, 'queue error');
      if (!isConnectionLost(error) || closing !== null) return;
      // ioredis gives up after its reconnect window; then no command can succeed any more.
      void Promise.all(workers.map((w) => w.client)).then((clients) => {
        if (clients.some((c) => c.status === 'end')) {
          closing ??= close(true);
          void closing.then(() => settle({ reason: 'lost', message: oneLine(error) }));
        }
      }, () => undefined);
    });
    worker.on('failed', (job, error) => {
      options.log.warn({ job: job?.id, err: oneLine(error) }, 'job failed');
      options.onJobFailed?.(job?.id ?? 'unknown', oneLine(error));
    });
  }
  return {
    id,
    ended,
    async stop(now) {
      if (now) aborter.abort();
      closing ??= close(false);
      await closing;
      settle({ reason: 'stopped' });
    },
  };
}
