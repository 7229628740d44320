/**
 * A BullMQ queue with its event stream, as the coordinators use it: add jobs, read a job's
 * outcome, and wait (bounded) for the next job to finish anywhere. Connection errors are
 * remembered so that a run which lost Redis ends with QueueLostError instead of waiting.
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
  private lost: unknown = null;

  constructor(url: QueueUrl, name: string) {
    const connection = redisOptions(url);
    this.queue = new Queue(name, { connection, prefix: PREFIX });
    this.events = new QueueEvents(name, { connection, prefix: PREFIX });
    const onError = (error: unknown): void => {
      if (isConnectionLost(error)) this.lost ??= error;
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

  async outcome(jobId: string): Promise<Outcome<R>> {
    const state = await this.guard(this.queue.getJobState(jobId));
    if (state === 'unknown') return { state: 'missing' };
    if (state !== 'completed' && state !== 'failed') return { state: 'pending' };
    const job = await this.guard(this.queue.getJob(jobId));
    if (job === undefined) return { state: 'missing' };
    return state === 'completed' ? { state, result: job.returnvalue as R, job } : { state, reason: job.failedReason, job };
  }

  /** Removes a job; false if a worker holds it (its result will be ignored and expire). */
  async remove(jobId: string): Promise<boolean> {
    return (await this.guard(this.queue.remove(jobId))) === 1;
  }

  /** Resolves when some job finishes, or after POLL_MS. */
  async settle(): Promise<void> {
    if (this.lost !== null) throw new QueueLostError(`lost the connection to Redis: ${oneLine(this.lost)}`);
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
    if (this.lost !== null) {
      void this.queue.disconnect();
      void this.events.disconnect();
    }
  }

  private async guard<T>(operation: Promise<T>): Promise<T> {
    try {
      return await operation;
    } catch (error) {
      if (this.lost !== null || isConnectionLost(error)) throw new QueueLostError(`lost the connection to Redis: ${oneLine(this.lost ?? error)}`);
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
