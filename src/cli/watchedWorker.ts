/**
 * The worker side of a watched command (see watched.ts): the same command functions as on the
 * main thread, their output and trace chunks sent to the main thread in order, the interrupt
 * flag and the ring-0 watch words shared with it.
 */
import { refuseOwnProcessSignals } from '../shared/ownProcessSignals.js';
import { parentPort, workerData } from 'node:worker_threads';
import { onDevices } from '../actors/deviceNames.js';
import { runFaultOf } from '../actors/runFault.js';
import { ring0Watch } from '../vmm/ring0Watch.js';
import { executionBoard, readBoard, type HungExecution } from '../explore/executionBoard.js';
import { WorkerHung } from '../actors/ring0Watchdog.js';
import { PoolTaskRanAway } from '../explore/watchedPool.js';
import { interrupted, stopSignal, useInterruptFlag } from './interrupt.js';
import { stopTraceReadsWhen, TraceReadStopped } from '../shared/traceReadStop.js';
import { EXIT, ioFailureMessage } from './errors.js';
import { queueFailure } from '../distributed/options.js';
import { probeLoadsOnThisThread } from '../scenario/importModule.js';
import { faultExit } from './runFaultReport.js';
import { setCommandStdout } from '../shared/commandStdout.js';
import { ThreadExited } from '../shared/threadExited.js';
import { isUsageError, type WatchedMessage, type WatchedTaskData } from './watched.js';
import { letTimersFire } from '../shared/letTimersFire.js';
import { scenarioCodeFailure } from '../shared/scenarioCodeFailure.js';

type Command = (...args: never[]) => Promise<number>;

export async function runWatchedTask(commands: Record<WatchedTaskData['command'], () => Promise<Command>>): Promise<void> {
  const port = parentPort!;
  const data = workerData as WatchedTaskData;
  const post = (message: WatchedMessage): void => port.postMessage(message);
  useInterruptFlag(new Int32Array(data.interrupt));
  stopTraceReadsWhen(interrupted);
  ring0Watch.attach(new Int32Array(data.ring0));
  if (data.board !== undefined) executionBoard.attach(data.board);
  boardBuffer = data.board;
  // These load the trace's scenario module here first (the main thread did not): bounded, as the main thread's loads are.
  if (data.command === 'replay' || data.command === 'shrink' || data.command === 'trace') probeLoadsOnThisThread();
  onDevices((names) => post({ t: 'devices', names }));
  if (data.stderrColumns !== null) Object.assign(process.stderr, { isTTY: true, columns: data.stderrColumns });
  refuseOwnProcessSignals();
  // The command's output is the main thread's stdout; whatever else prints here (scenario code,
  // or a pool thread's forwarded output) is its stderr (shared/commandStdout.ts).
  setCommandStdout((text) => post({ t: 'out', fd: 1, text }));
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: string | Uint8Array): boolean => {
      post({ t: 'out', fd: 2, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8') });
      return true;
    }) as typeof stream.write;
  }
  try {
    const command = await commands[data.command]();
    const code = await command(...(data.args as never[]));
    // Before the thread is ended: a throw from a timer the run's scenario code set is the user's error.
    await letTimersFire();
    post({ t: 'done', code });
  } catch (error) {
    post(failureMessage(error));
  }
}

type FailureMessage = Extract<WatchedMessage, { t: 'error' }>;

/** This thread's execution board, when its command's executions are watched (a runaway's is read there). */
let boardBuffer: SharedArrayBuffer | undefined;

/**
 * The execution of this thread that ran away, as its board kept it (executionBoard.endOn); none
 * when the runaway was elsewhere (a pool thread, PCT's estimate, the shrinker): then the
 * command's one line, no re-run.
 */
function runawayExecution(kind: string): { execution: HungExecution } | Record<string, never> {
  const execution = kind === 'runaway' && boardBuffer !== undefined ? readBoard(boardBuffer) : null;
  return execution === null ? {} : { execution };
}

const usage = (message: string): FailureMessage => ({ t: 'error', kind: 'usage', message });
const fault = (message: string, code: number): FailureMessage => ({ t: 'error', kind: 'fault', message, code });

/**
 * How a command's failure reaches the main thread, which exits as the main thread's own
 * failure would: the first classifier that knows the error says its kind and exit code.
 */
const CLASSIFIERS: readonly ((error: unknown) => FailureMessage | null)[] = [
  (error) => {
    const run = runFaultOf(error);
    if (run === null) return null;
    // A pool thread's hang says which execution it was, for the command to re-run it into a
    // trace; a runaway on this thread left its execution on the board (executionBoard.endOn).
    const pooled = (error instanceof WorkerHung && 'execution' in error) || error instanceof PoolTaskRanAway;
    const execution = pooled ? { execution: (error as PoolTaskRanAway).execution } : runawayExecution(run.kind);
    return { ...fault(run.message, faultExit(run)), ...execution };
  },
  (error) => (isUsageError(error) ? usage((error as Error).message) : null),
  (error) => (error instanceof TraceReadStopped ? fault(`${stopSignal()}: ${error.message}`, EXIT.interrupted) : null),
  (error) => {
    const queued = queueFailure(error);
    return queued === null ? null : queued.code === EXIT.usage ? usage(queued.message) : fault(queued.message, queued.code);
  },
  (error) => {
    const scenario = scenarioCodeFailure(error);
    return scenario === null ? null : fault(scenario, EXIT.violation);
  },
  (error) => (error instanceof ThreadExited ? fault(error.message, EXIT.crash) : null),
  (error) => {
    const io = ioFailureMessage(error);
    return io === null ? null : fault(io, EXIT.crash);
  },
];

function failureMessage(error: unknown): FailureMessage {
  for (const classify of CLASSIFIERS) {
    const message = classify(error);
    if (message !== null) return message;
  }
  const stack = (error as Error | undefined)?.stack;
  return { t: 'error', kind: 'internal', message: String((error as Error | undefined)?.message ?? error), ...(stack !== undefined ? { stack } : {}) };
}

/** Where a run's trace chunks go: to the main thread, which writes the file. */
export function postChunk(message: WatchedMessage & { t: 'chunk' }): void {
  parentPort?.postMessage(message);
}
