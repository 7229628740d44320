/**
 * Structured logs (pino, one JSON object a line). Never on stdout, so `--json` output stays
 * clean: to a file (`--log FILE`), or to stderr when only a level is asked for, or nowhere (the
 * default). Actors on worker threads log through the main thread: their logger posts each line
 * to the orchestrator, which writes it to the one destination. Writes are synchronous, so a line
 * that reached the main thread is on disk before the process exits, even after a crash.
 */
import { pino, type Logger, type LevelWithSilent } from 'pino';

export type LogLevel = LevelWithSilent;
export const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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

export function createMainLog(options: LogOptions = {}): MainLog {
  const level = options.level ?? (options.file !== undefined ? 'info' : 'silent');
  if (level === 'silent') return { logger: pino({ level: 'silent' }), level, writeLine: () => undefined, flush: () => undefined };
  const destination = pino.destination({ dest: options.file ?? 2, sync: true, mkdir: true });
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
