/**
 * `vmmsim worker --queue redis://...`: runs campaign chunks (`explore --queue`) and stress runs
 * (`stress --queue`) from Redis until SIGINT, SIGTERM or SIGHUP. The first signal finishes the jobs in
 * hand and takes no new one; a second gives them back to the queue at once. Exit 130 after a
 * signal, 3 if Redis is lost for good, 2 if it cannot be reached at the start.
 */
import { availableParallelism } from 'node:os';
import type { Command } from 'commander';
import { queueUrlOption } from '../../distributed/options.js';
import type { QueueUrl } from '../../distributed/queueUrl.js';
import { LOG_LEVELS, type LogLevel } from '../../shared/logLevels.js';
import { EXIT } from '../errors.js';
import { integer, oneOf } from '../parse.js';
import { duration } from '../threadOptions.js';
import { onStopSignal } from '../interrupt.js';

/** `--lock-duration 1ms` was taken, and every chunk longer than it stalled and failed the campaign (exit 3). */
const LOCK_DURATION_MIN_MS = 1_000;

export interface WorkerFlags {
  queue: QueueUrl;
  concurrency?: number;
  lockDuration?: number;
  log?: string;
  logLevel?: LogLevel;
}

export function addWorkerCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('worker')
    .description('run campaign chunks and stress runs from a Redis queue (explore/stress --queue) until stopped')
    .requiredOption('--queue <url>', 'the Redis the coordinators use: redis://host:port[/db]', queueUrlOption)
    .option('--concurrency <n>', 'chunks at a time, on as many threads (default: the CPU count)', integer('--concurrency', 1, 256))
    .option('--lock-duration <time>', "how long a job's lock lasts unrenewed: a dead worker's jobs are retried after it (default 10s, at least 1s)", duration('--lock-duration', LOCK_DURATION_MIN_MS, ' (the lock is renewed every half of it while a chunk runs: shorter, a busy worker\'s chunks were taken for stalled)'))
    .option('--log <file>', 'write structured JSON logs (pino) to this file (default level info)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')} (without --log, logs go to stderr)`, oneOf('--log-level', LOG_LEVELS))
    .action(async (flags: WorkerFlags) => setExit(await workerCommand(flags)));
}

export async function workerCommand(flags: WorkerFlags): Promise<number> {
  // Loaded on demand: BullMQ and ioredis are needed by this command only, and the logger too.
  const { createMainLog } = await import('../../shared/log.js');
  const { probeQueue } = await import('../../distributed/connection.js');
  const { DEFAULT_LOCK_DURATION_MS, startWorker } = await import('../../distributed/worker.js');
  await probeQueue(flags.queue);
  const log = createMainLog({ ...(flags.log !== undefined ? { file: flags.log } : {}), ...(flags.logLevel !== undefined ? { level: flags.logLevel } : {}) });
  const concurrency = flags.concurrency ?? availableParallelism();
  // A job that fails here is said on stderr whatever the log level: a worker that fails every
  // job it takes (another build, a scenario it cannot read) showed only "taking jobs" (an outside audit).
  const onJobFailed = (job: string, message: string): void => void process.stderr.write(`vmmsim worker: job ${job} failed: ${message}\n`);
  const worker = startWorker({ url: flags.queue, concurrency, lockDurationMs: flags.lockDuration ?? DEFAULT_LOCK_DURATION_MS, log: log.logger, onJobFailed });
  process.stderr.write(`vmmsim worker ${worker.id}: taking jobs from ${flags.queue.display} on ${concurrency} thread(s)\n`);
  let signals = 0;
  const onSignal = (): void => {
    signals++;
    process.stderr.write(signals === 1 ? 'vmmsim worker: finishing the jobs in hand (again: give them back now)\n' : 'vmmsim worker: giving the jobs in hand back\n');
    void worker.stop(signals > 1);
  };
  const stopListening = onStopSignal(onSignal);
  const end = await worker.ended;
  stopListening();
  log.flush();
  if (end.reason === 'lost') {
    process.stderr.write(`vmmsim: lost the connection to Redis: ${end.message}\n`);
    return EXIT.crash;
  }
  return EXIT.interrupted;
}
