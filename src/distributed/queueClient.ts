/**
 * A BullMQ queue with its event stream, as the coordinators use it: add jobs, read a job's
 * outcome, and wait (bounded) for the next job to finish anywhere.
 *
 * A dropped connection is retried for RECONNECT_WINDOW_MS (queueUrl.ts): commands wait for it
 * meanwhile, and fail when ioredis gives up, which ends the run with QueueLostError. The last
 * connection error is kept for that message (it says why; the failed command only says
 * "Connection is closed"), and forgotten once a command succeeds again: a Redis restarted
 * within the window is no failure (an outside audit: a one-second restart ended every
 * coordinator with exit 3).
 *
 * A job that failed before this client opened is another run's failure (a worker of another
 * version, a scenario since fixed): it is removed and reported missing, so the caller enqueues
 * it again, once per job (an outside audit: one failed chunk made the same command fail at once
 * for the 24 hours a failed job is kept, after the cause was fixed).
 */
import { Queue, QueueEvents, type Job, type JobsOptions } from 'bullmq';
import { isConnectionLost, oneLine } from './connection.js';
import { QueueLostError } from './errors.js';
import { CHUNK_ATTEMPTS, KEEP_FINISHED_S, PREFIX } from './protocol.js';
import { type QueueUrl, redisOptions } from './queueUrl.js';

/** How long a wait lasts without any event before the coordinator looks again by itself. */
const POLL_MS = 1_000;
const CLOSE_MS = 2_000;

export type Outcome<R> = { state: 'completed'; result: R; job: Job } | { state: 'failed'; reason: string; job: Job } | { state: 'missing' } | { state: 'pending' };

export class QueueClient<D, R> {
  readonly queue: Queue;
  private readonly events: QueueEvents;
  private wake: (() => void) | null = null;
  /** The last connection error since a command last succeeded (null: none). */
  private lastConnectionError: unknown = null;
  /** When this client opened (ms since the epoch: BullMQ stamps a job's end the same way). */
  private readonly openedMs = Date.now();
  /** Jobs whose earlier failure was cleared (once each: a failure now is this run's). */
  private readonly renewed = new Set<string>();

  constructor(url: QueueUrl, name: string) {
    const connection = redisOptions(url);
    this.queue = new Queue(name, { connection, prefix: PREFIX });
    this.events = new QueueEvents(name, { connection, prefix: PREFIX });
    const onError = (error: unknown): void => {
      if (isConnectionLost(error)) this.lastConnectionError = error;
    };
    this.queue.on('error', onError);
    this.events.on('error', onError);
    const notify = (): void => {
      this.wake?.();
    };
    this.events.on('completed', notify);
    this.events.on('failed', notify);
  }

  async ready(): Promise<void> {
    await this.guard(Promise.all([this.queue.waitUntilReady(), this.events.waitUntilReady()]));
  }

  async add(jobId: string, data: D): Promise<void> {
    await this.guard(this.queue.add(jobId, data, jobOptions(jobId)));
  }

  async addMany(jobs: { jobId: string; data: D }[]): Promise<void> {
    if (jobs.length > 0) await this.guard(this.queue.addBulk(jobs.map((j) => ({ name: j.jobId, data: j.data, opts: jobOptions(j.jobId) }))));
  }

  /** Whether a finished job finished after this client opened (it was computed for this run, not before it). */
  finishedSinceOpened(job: { finishedOn?: number | undefined }): boolean {
    return (job.finishedOn ?? 0) >= this.openedMs;
  }

  async outcome(jobId: string): Promise<Outcome<R>> {
    const state = await this.guard(this.queue.getJobState(jobId));
    if (state === 'unknown') return { state: 'missing' };
    if (state !== 'completed' && state !== 'failed') return { state: 'pending' };
    const job = await this.guard(this.queue.getJob(jobId));
    if (job === undefined) return { state: 'missing' };
    if (state === 'failed' && (job.finishedOn ?? Infinity) < this.openedMs && !this.renewed.has(jobId)) {
      this.renewed.add(jobId);
      await this.remove(jobId);
      return { state: 'missing' };
    }
    return state === 'completed' ? { state, result: job.returnvalue as R, job } : { state, reason: job.failedReason, job };
  }

  /** Removes a job that no worker has taken yet; one running or finished stays (an interrupted run's next start collects it). */
  async removeWaiting(jobId: string): Promise<void> {
    const state = await this.guard(this.queue.getJobState(jobId));
    if (state === 'waiting' || state === 'delayed' || state === 'prioritized' || state === 'waiting-children') await this.remove(jobId);
  }

  /** Removes a job; false if a worker holds it (its result will be ignored and expire). */
  async remove(jobId: string): Promise<boolean> {
    return (await this.guard(this.queue.remove(jobId))) === 1;
  }

  /** Resolves when some job finishes, or after POLL_MS. */
  async settle(): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, POLL_MS);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = null;
  }

  async close(): Promise<void> {
    const closing = Promise.allSettled([this.queue.close(), this.events.close()]);
    await Promise.race([closing, new Promise((resolve) => setTimeout(resolve, CLOSE_MS).unref())]);
    if (this.lastConnectionError !== null) {
      void this.queue.disconnect();
      void this.events.disconnect();
    }
  }

  private async guard<T>(operation: Promise<T>): Promise<T> {
    try {
      const value = await operation;
      this.lastConnectionError = null;
      return value;
    } catch (error) {
      if (isConnectionLost(error) || this.lastConnectionError !== null) throw new QueueLostError(`lost the connection to Redis: ${oneLine(this.lastConnectionError ?? error)}`);
      throw error;
    }
  }
}

function jobOptions(jobId: string): JobsOptions {
  return {
    jobId, attempts: CHUNK_ATTEMPTS,
    removeOnComplete: { age: KEEP_FINISHED_S }, removeOnFail: { age: KEEP_FINISHED_S },
  };
}
