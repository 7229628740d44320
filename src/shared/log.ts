/**
 * Structured logs (pino, one JSON object a line). Never on stdout, so `--json` output stays
 * clean: to a file (`--log FILE`), or to stderr when only a level is asked for, or nowhere (the
 * default). Actors on worker threads log through the main thread: their logger posts each line
 * to the orchestrator, which writes it to the one destination. Writes are synchronous, so a line
 * that reached the main thread is on disk before the process exits, even after a crash.
 */
import { pino, type Logger } from 'pino';
import { dirname } from 'node:path';
import { errnoText } from './errnoText.js';
import { makeDirs } from './makeDirs.js';
import type { LogLevel } from './logLevels.js';

export { LOG_LEVELS, type LogLevel } from './logLevels.js';

export interface LogOptions {
  /** A file for the JSON lines; stderr when absent and a level is given. */
  file?: string;
  /** Default: info with a file, silent without. */
  level?: LogLevel;
  /** The run's id (runId.ts): on every line, the actors' included. */
  runId?: string;
}

export interface MainLog {
  readonly logger: Logger;
  readonly level: LogLevel;
  /** A line an actor logged on its own thread (JSON, newline-terminated). */
  writeLine(line: string): void;
  flush(): void;
}

/** The log file could not be written: a runtime failure (exit 3). */
export class LogWriteError extends Error {
  override readonly name = 'LogWriteError';
}

export function createMainLog(options: LogOptions = {}): MainLog {
  const level = options.level ?? (options.file !== undefined ? 'info' : 'silent');
  if (level === 'silent') return { logger: pino({ level: 'silent' }), level, writeLine: () => undefined, flush: () => undefined };
  // The log's directory is made here, not by pino (whose recursive mkdir can spin: makeDirs.ts).
  if (options.file !== undefined) makeDirs(dirname(options.file));
  const destination = pino.destination({ dest: options.file ?? 2, sync: true });
  // A write that fails (disk full) ends the run with one line naming the log (the CLI's handler
  // for I/O failures, exit 3) rather than a stream's stack trace.
  let failed = false;
  destination.on('error', (error: NodeJS.ErrnoException) => {
    if (failed) return;
    failed = true;
    // Thrown outside the writer's caller (which may be an actor's cleanup): the process-wide handler ends the run.
    const failure = new LogWriteError(`cannot write log ${options.file ?? 'stderr'}: ${errnoText(error)}`);
    queueMicrotask(() => {
      throw failure;
    });
  });
  const root = pino({ level, base: { actor: 'main' } }, destination);
  const { runId } = options;
  // One child logger per run; an actor's lines (made on its own thread) get the id added here.
  const logger = runId !== undefined ? root.child({ runId }) : root;
  const stamp = runId !== undefined ? `{"runId":${JSON.stringify(runId)},` : '{';
  return {
    logger,
    level,
    writeLine: (line) => {
      destination.write(line.startsWith('{"') ? stamp + line.slice(1) : line);
    },
    flush: () => {
      try {
        destination.flushSync();
      } catch {
        // Nothing buffered (synchronous writes): nothing to flush.
      }
    },
  };
}

/** An actor's logger: each line is handed to `post` (which sends it to the main thread). */
export function createActorLogger(actor: string, level: LogLevel, post: (line: string) => void): Logger {
  return pino({ level, base: { actor } }, { write: post });
}
