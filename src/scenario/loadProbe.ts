/**
 * A scenario module that never finishes loading (an endless loop at its top level, a top-level
 * await on a timer or a socket that never comes) holds the thread that imports it for ever, and
 * no timer on that thread can fire to say so. So the main thread first imports a module on a
 * worker thread of its own, which it ends if the load has not finished within the bound; only a
 * module that loaded there (or failed to: the import on this thread then reports why, with its
 * location) is imported here, unless it failed by calling what would act on the whole process
 * (ProcessCall). Each file is probed once per process; the module's top level runs
 * once more (its output on the probe's thread is dropped), as it already does on every thread
 * of a run.
 */
import { statSync } from 'node:fs';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { watchMemory } from '../shared/memoryBound.js';

/**
 * 'exportTimeout': the module loaded, and reading its default export did not end within the
 * bound. A `ProcessCall`: its top level called what a worker thread refuses and the main thread
 * would do to the whole process (`process.abort()` dumped core, exit 134; `process.chdir()` made
 * the next lookup of a relative path fail), so it is not imported there.
 */
export type ProbeResult = 'loaded' | 'failed' | 'timeout' | 'exportTimeout' | 'outOfMemory' | ProcessCall;

export interface ProcessCall {
  /** What it called, as Node names it: `process.abort()`. */
  call: string;
  /** The probe's stack, which names the module's line. */
  stack: string;
}

/** The most objects the probe reads through in an export (a large table in a scenario is fine). */
const READ_THROUGH_MAX = 1_000_000;

/**
 * The heap a module may use while it loads on the probe's thread. Without a limit, a module that
 * allocates without end at its top level ran the whole process out of heap (V8's fatal error, a
 * native stack dump, exit 134, after a minute of collecting); with one, only the probe's thread
 * ends, and the module is reported in one line.
 */
export const LOAD_HEAP_MB = 1024;

// Plain JavaScript evaluated as the worker's script: it needs no file of its own. Once the
// module loaded, its default export is read through (every own property, a getter's value, a
// proxy's traps), as the loader's validation will read it on the importing thread: a getter or
// trap that never returns held that thread for ever, past Ctrl-C and SIGTERM.
const PROBE = `
const { parentPort, workerData } = require('node:worker_threads');
function readThrough(value, seen, budget) {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function') || seen.has(value) || budget.left-- <= 0) return;
  seen.add(value);
  let keys = [];
  try { keys = Reflect.ownKeys(value); } catch { return; }
  for (const key of keys) {
    let inner;
    try { inner = value[key]; } catch { continue; }
    readThrough(inner, seen, budget);
  }
}
import(workerData.tsx)
  .then(async ({ tsImport }) => {
    (await tsImport(workerData.resolveOwnName, { parentURL: workerData.parentURL })).resolveOwnNameOnThisThread();
    return tsImport(workerData.url, { parentURL: workerData.parentURL });
  })
  .then((module) => {
    parentPort.postMessage('loaded');
    try { readThrough(module.default, new Set(), { left: ${READ_THROUGH_MAX} }); } catch {}
    parentPort.postMessage('read');
  }, (error) => {
    // Node's own refusal on a worker of what would act on the whole process.
    const refused = error !== null && typeof error === 'object' && error.code === 'ERR_WORKER_UNSUPPORTED_OPERATION';
    parentPort.postMessage(refused ? { call: String(/^\\S+\\(\\)/.exec(String(error.message)) ?? error.message), stack: String(error.stack) } : 'failed');
  });
`;

// The probe's thread resolves 'vmmsim' as the import on this thread will (resolveOwnName.ts);
// the module is the same file compiled (.js) or, run from source, the .ts beside this one.
const RESOLVE_OWN_NAME = new URL(`./resolveOwnName${extname(fileURLToPath(import.meta.url))}`, import.meta.url).href;

const probed = new Map<string, Promise<ProbeResult>>();

/** Whether `url` (the module `file`) finishes loading within boundMs on a thread of its own. */
export function probeLoad(file: string, url: string, boundMs: number): Promise<ProbeResult> {
  const key = fileVersionKey(file);
  let result = probed.get(key);
  if (result === undefined) {
    result = probe(url, boundMs);
    probed.set(key, result);
  }
  return result;
}

function probe(url: string, boundMs: number): Promise<ProbeResult> {
  const worker = new Worker(PROBE, {
    eval: true,
    workerData: { tsx: import.meta.resolve('tsx/esm/api'), resolveOwnName: RESOLVE_OWN_NAME, url, parentURL: import.meta.url },
    // The module sees the process's arguments, as it will on this thread; what it prints is dropped.
    argv: process.argv.slice(2),
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: LOAD_HEAP_MB },
  });
  worker.stdout.resume();
  worker.stderr.resume();
  return new Promise<ProbeResult>((resolve) => {
    let settled = false;
    const settle = (result: ProbeResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      memory.stop();
      void worker.terminate();
      resolve(result);
    };
    let loaded = false;
    const timer = setTimeout(() => settle(loaded ? 'exportTimeout' : 'timeout'), boundMs);
    // The heap limit does not count Buffers and typed arrays: a module that kept allocating
    // them took the process to 8 GB until the load bound (52 s) and was called an endless loop.
    const memory = watchMemory(LOAD_HEAP_MB, () => settle('outOfMemory'), { aboveStart: true });
    worker.on('message', (message: 'loaded' | 'read' | 'failed' | ProcessCall) => {
      if (message === 'loaded') loaded = true;
      else settle(message === 'read' ? 'loaded' : message);
    });
    // The module threw later (a timer of its own), called process.exit, or its top-level await
    // emptied the thread's event loop: not a hang; the import on this thread shows what it does.
    worker.on('error', (error: Error & { code?: string }) => settle(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'outOfMemory' : 'failed'));
    worker.on('exit', () => settle('failed'));
  });
}

/** A file as of its last change: a module edited since it was loaded is another module. */
export function fileVersionKey(file: string): string {
  let modifiedMs = 0;
  try {
    modifiedMs = statSync(file).mtimeMs;
  } catch {
    // Gone since: its import says so.
  }
  return `${file}:${modifiedMs}`;
}
