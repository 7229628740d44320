/**
 * Simulated work (run --runtime sim, replay, explore, trace, shrink) runs on a worker thread that this,
 * the main thread, watches: the main thread stays free to take Ctrl-C (a flag in shared memory
 * the work polls between steps or executions; a second Ctrl-C exits at once) and to end the
 * worker when device code has run one ring-0 entry for longer than the watchdog's bound (a loop
 * that calls no service: the deterministic service-call budget catches the others). The worker
 * writes its output through this thread, in order; a run's trace chunks come here too and are
 * written as they arrive, so a run ended by the watchdog has its trace up to the last chunk.
 */
import { Worker } from 'node:worker_threads';
import type { DeviceNames } from '../actors/deviceNames.js';
import { hungMessage, ring0WatchBuffer, watchRing0, RING0_WALL_MS_DEFAULT } from '../actors/ring0Watchdog.js';
import type { TraceChunk } from '../actors/threads/protocol.js';
import type { TraceCollector, TraceMeta } from '../actors/threads/traceCollector.js';
import { ScenarioError } from '../scenario/scenarioError.js';
import { EXIT, UsageError } from './errors.js';
import { onSigint, useInterruptFlag } from './interrupt.js';
import { ExecutionHung, RunFaultError } from './runFaultReport.js';
import { readBoard, type HungExecution } from '../explore/executionBoard.js';
import { replayCommand } from '../shared/invocation.js';
import { memoryBoundMb, memoryBoundText, watchMemory, type MemoryWatch } from '../shared/memoryBound.js';

export type WatchedCommand = 'run-sim' | 'replay' | 'explore' | 'trace' | 'shrink' | 'hung-rerun';

export interface WatchedTaskData {
  command: WatchedCommand;
  args: unknown[];
  interrupt: SharedArrayBuffer;
  ring0: SharedArrayBuffer;
  /** The thread's execution board (explore/executionBoard.ts), when its executions are to be re-run after a hang. */
  board?: SharedArrayBuffer;
  /** The main thread's stderr is a terminal (progress bars draw through it). */
  stderrColumns: number | null;
}

export type WatchedMessage =
  | { t: 'out'; fd: 1 | 2; text: string }
  | { t: 'devices'; names: DeviceNames }
  | { t: 'chunk'; chunk: TraceChunk }
  | { t: 'done'; code: number }
  | { t: 'error'; kind: 'usage' | 'fault' | 'internal'; message: string; stack?: string; code?: number; execution?: HungExecution | null };

export interface WatchOptions {
  ring0TimeoutMs?: number;
  /** A run's trace: chunks the worker sends are written here. */
  trace?: { path: string; meta: TraceMeta } | null;
  /**
   * Explore: the worker's execution board. A hang then rejects with ExecutionHung, which says
   * what the hung execution was, rather than ending the command here.
   */
  board?: SharedArrayBuffer;
  /** Says what a hang ended (default: one line on stderr naming the trace written up to it). */
  reportHang?: (message: string, written: { path: string; steps: number } | null) => void;
}

const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

function spawnTask(data: WatchedTaskData): Worker {
  const url = new URL(`../../workers/cliTask.${RUNNING_FROM_SOURCE ? 'ts' : 'js'}`, import.meta.url);
  // The user's code sees the same process.argv as on the main thread.
  const argv = process.argv.slice(2);
  if (!RUNNING_FROM_SOURCE) return new Worker(url, { workerData: data, argv });
  const register = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`;
  return new Worker(url, { workerData: data, argv, execArgv: ['--import', `data:text/javascript,${encodeURIComponent(register)}`] });
}

export async function runWatched(command: WatchedCommand, args: unknown[], options: WatchOptions = {}): Promise<number> {
  const interruptFlag = new SharedArrayBuffer(4);
  useInterruptFlag(new Int32Array(interruptFlag));
  const ring0 = ring0WatchBuffer();
  // Loaded only by a command that writes a trace (it brings the trace format's writers).
  const collector = options.trace ? new (await import('../actors/threads/traceCollector.js')).TraceCollector(undefined, options.trace) : null;
  const worker = spawnTask({
    command, args, interrupt: interruptFlag, ring0, stderrColumns: process.stderr.isTTY ? process.stderr.columns : null,
    ...(options.board !== undefined ? { board: options.board } : {}),
  });
  let names: DeviceNames = [];
  const stopSigint = onSigint();
  let watchdog: { stop(): void } | null = null;
  let memory: MemoryWatch | null = null;
  try {
    return await new Promise<number>((resolve, reject) => {
      let settled = false;
      const settle = (f: () => void): void => {
        if (settled) return;
        settled = true;
        f();
      };
      watchdog = watchRing0(ring0, () => names, options.ring0TimeoutMs ?? RING0_WALL_MS_DEFAULT, (hung) => {
        settle(() => {
          void worker.terminate();
          const message = hungMessage(hung);
          if (options.board !== undefined) {
            reject(new ExecutionHung(`watchdog: ${message}; the exploration is ended`, readBoard(options.board)));
            return;
          }
          let written: ReturnType<TraceCollector['finishFile']> | null = null;
          try {
            written = collector?.finishFile({ kind: 'hung', message }) ?? null;
          } catch {
            // The trace could not be written either: the hang is what to report.
          }
          if (options.reportHang !== undefined) options.reportHang(message, written);
          else process.stderr.write(`vmmsim: watchdog: ${message}; the run is ended${written !== null ? `; trace up to step ${written.steps} in ${written.path} (${replayCommand(written.path)})` : ''}\n`);
          resolve(EXIT.crash);
        });
      });
      // Memory outside the heaps (Buffers a device keeps) has no thread limit: bounded here.
      const boundMb = memoryBoundMb();
      memory = watchMemory(boundMb, (rssMb) => {
        settle(() => {
          void worker.terminate();
          try {
            collector?.finishFile();
          } catch {
            // The trace could not be written either: the memory is what to report.
          }
          reject(new RunFaultError(`the ${commandName(command)} ran out of memory: ${memoryBoundText(rssMb, boundMb)}`, EXIT.crash));
        });
      });
      let writeFailed = false;
      const traceWrite = (write: () => void): void => {
        if (writeFailed) return;
        try {
          write();
        } catch (error) {
          writeFailed = true;
          settle(() => {
            void worker.terminate();
            reject(error);
          });
        }
      };
      worker.on('message', (message: WatchedMessage) => {
        switch (message.t) {
          case 'out':
            (message.fd === 1 ? process.stdout : process.stderr).write(message.text);
            return;
          case 'devices':
            names = message.names;
            return;
          case 'chunk':
            // The trace cannot be written (disk full?): the run ends here, one line, exit 3.
            if (!writeFailed) traceWrite(() => collector?.add(message.chunk));
            return;
          case 'done':
            traceWrite(() => collector?.finishFile());
            settle(() => resolve(message.code));
            return;
          case 'error':
            traceWrite(() => collector?.finishFile());
            settle(() => reject(rebuild(message)));
            return;
        }
      });
      worker.on('error', (error: Error & { code?: string }) => settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? outOfMemory(command) : error)));
      // Only user code ends this thread early (process.exit in a scenario): a runtime failure, exit 3.
      worker.on('exit', (code) => settle(() => reject(new RunFaultError(`the ${command} ended early: its thread exited with code ${code} (did scenario code call process.exit?)`, EXIT.crash))));
    });
  } finally {
    (watchdog as { stop(): void } | null)?.stop();
    (memory as MemoryWatch | null)?.stop();
    stopSigint();
    try {
      collector?.finishFile();
    } catch {
      // Already reported: the trace could not be written.
    }
    await worker.terminate();
  }
}

/**
 * The thread's JavaScript heap reached its limit: scenario or device code that keeps what it
 * allocates (a module-level array, device state that grows each step). A runtime failure of the
 * user's code, exit 3, not an internal error.
 */
function outOfMemory(command: WatchedCommand): RunFaultError {
  return new RunFaultError(`the ${commandName(command)} ran out of memory: its thread's JavaScript heap reached its limit (scenario or device code that keeps allocating, such as state or a module-level array that grows every step?)`, EXIT.crash);
}

function commandName(command: WatchedCommand): string {
  return command === 'run-sim' ? 'run' : command;
}

function rebuild(message: Extract<WatchedMessage, { t: 'error' }>): Error {
  if (message.kind === 'usage') return new UsageError(message.message);
  if (message.kind === 'fault' && message.execution !== undefined) return new ExecutionHung(message.message, message.execution);
  if (message.kind === 'fault') return new RunFaultError(message.message, message.code ?? EXIT.crash);
  const error = new Error(message.message);
  if (message.stack !== undefined) error.stack = message.stack;
  return error;
}

/** How the worker side classifies what its command threw (see watchedWorker.ts). */
export function isUsageError(error: unknown): boolean {
  return error instanceof UsageError || error instanceof ScenarioError || (error instanceof Error && error.name === 'TraceFormatError');
}
