/**
 * Standard output belongs to the command: its report, or with --json one JSON object and nothing
 * else. Scenario code that prints (a `console.log` left in a driver, `process.stdout.write`)
 * goes to stderr instead: it broke `--json` (run on both runtimes, explore), and on threads one
 * second of a printing driver put 51,490 lines into the report.
 *
 * The command writes through `writeStdout`. A thread that runs scenario code and writes no
 * command output (an explore pool thread, an actor) sends its whole stdout to stderr; the
 * watched worker sends the command's output to the main thread as stdout and the rest as
 * stderr; the main thread, which runs scenario code only while it loads the module, does the
 * same for that while (`whileScenarioLoads`).
 */
import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

// Looked up at each write: whoever holds stdout (a capture in the tests) gets the output.
let sink: (text: string) => void = (text) => void process.stdout.write(text);

/** The command's own output. */
export function writeStdout(text: string): void {
  sink(text);
}

/** This thread's command output goes through `write` (the watched worker: to the main thread). */
export function setCommandStdout(write: (text: string) => void): void {
  sink = write;
}

/**
 * Everything else written to this thread's stdout goes to its stderr. On a worker thread (an
 * actor, a pool thread) stderr is then written at once, to the process's fd 2: a worker's own
 * stderr stream hands its chunks to the main thread only as its event loop turns, so what a device
 * printed before it hung (a loop the watchdog ends, an `Atomics.wait`) was lost with the thread:
 * 1 of 5,000 lines reached the terminal (an outside audit). Written at once, a printing device
 * also waits for its reader, rather than piling its lines up in memory (680 MB in 4 s).
 */
export function scenarioStdoutToStderr(): void {
  process.stdout.write = toStderr;
  if (!isMainThread) process.stderr.write = stderrAtOnce;
}

/** `load` with the thread's stdout sent to stderr while it runs (a module's prints at its top level). */
export async function whileScenarioLoads<T>(load: () => Promise<T>): Promise<T> {
  const own = process.stdout.write;
  process.stdout.write = toStderr;
  try {
    return await load();
  } finally {
    if (process.stdout.write === toStderr) process.stdout.write = own;
  }
}

/** A write function of vmmsim's own (what the command line lets set a stream's `write`: main.ts). */
export function isOwnStreamWrite(write: unknown): boolean {
  return write === toStderr || write === stderrAtOnce;
}

const toStderr = ((chunk: string | Uint8Array, ...rest: never[]): boolean => process.stderr.write(chunk, ...rest)) as typeof process.stdout.write;

/** How long a write waits for a full non-blocking stderr to drain before it gives the rest to the stream. */
const STDERR_AGAIN_WAIT_MS = 1;
const STDERR_AGAIN_TRIES = 1000;
const pause = new Int32Array(new SharedArrayBuffer(4));

const stderrAtOnce = ((chunk: string | Uint8Array, ...rest: unknown[]): boolean => {
  const callback = rest.find((arg): arg is (error?: Error | null) => void => typeof arg === 'function');
  let bytes = typeof chunk === 'string' ? Buffer.from(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8') : chunk;
  let tries = 0;
  try {
    while (bytes.byteLength > 0) {
      try {
        const written = writeSync(2, bytes);
        bytes = bytes.subarray(written);
      } catch (error) {
        // stderr is a non-blocking pipe whose reader is behind: wait for it a while.
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || ++tries > STDERR_AGAIN_TRIES) throw error;
        Atomics.wait(pause, 0, 0, STDERR_AGAIN_WAIT_MS);
      }
    }
  } catch {
    // fd 2 refused the rest (closed, or its reader gone for a second): the stream's way.
    return workerStderrWrite.call(process.stderr, bytes, callback);
  }
  if (callback !== undefined) queueMicrotask(() => callback(null));
  return true;
}) as typeof process.stderr.write;

const workerStderrWrite = process.stderr.write as (chunk: Uint8Array, callback?: (error?: Error | null) => void) => boolean;
