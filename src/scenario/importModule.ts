/**
 * Importing a user's scenario module, wherever it lives: `.ts`, `.mts`, `.cts` or `.js`, in a
 * `"type": "module"` package, a CommonJS one, or none. tsx's `tsImport` compiles it on the fly
 * in its own namespace (no global loader hooks, so it works the same from a worker thread and
 * does not trip over Node's require(esm) rules in a CommonJS folder).
 *
 * A module that fails to load is reported in one line that names its file and, when it is known,
 * its line: esbuild's syntax errors carry both; for an error thrown while the module runs, the
 * first stack frame inside the file gives the line (the file alone when the module was compiled
 * to CommonJS, whose frames point into generated code).
 */
import { availableParallelism, loadavg } from 'node:os';
import { relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isMainThread } from 'node:worker_threads';
import { fileVersionKey, LOAD_HEAP_MB, probeLoad, type ProcessCall } from './loadProbe.js';
import { resolveOwnNameOnThisThread } from './resolveOwnName.js';
import { whileLoading } from '../shared/exitGuard.js';
import { whileScenarioLoads } from '../shared/commandStdout.js';
import { stackText } from '../shared/errorStack.js';
import { oneLine } from '../shared/oneLine.js';
import { restoreBuiltins } from '../actors/builtinsGuard.js';

/**
 * A module still loading after this long is reported (an endless loop at its top level, a
 * top-level await that never settles). The default, 15 s, grows with the machine's load as the
 * load starts (15 s × one-minute load average per CPU, when that is over 1): on a 2-core machine
 * at load 40 compiling a plain `.ts` scenario took over 15 s, and a slow machine is not an
 * endless loop. VMMSIM_LOAD_BOUND_MS sets a fixed bound instead (a module that really does take
 * longer; the tests, which need no 15 s wait).
 */
const LOAD_BOUND_DEFAULT_MS = 15_000;

export function loadBoundMs(text: string | undefined, loadPerCpu = machineLoadPerCpu()): number {
  const ms = Number(text);
  // The command line refuses a value outside this range (cli/environment.ts); a timer takes no more.
  if (text !== undefined && Number.isInteger(ms) && ms > 0) return Math.min(ms, LOAD_BOUND_MAX_MS);
  return Math.round(LOAD_BOUND_DEFAULT_MS * Math.max(1, loadPerCpu));
}

/** The longest a timer waits (2^31 - 1 ms, ~24.8 days): past it Node fires it after 1 ms. */
export const LOAD_BOUND_MAX_MS = 2 ** 31 - 1;

function machineLoadPerCpu(): number {
  const cpus = availableParallelism();
  const [oneMinute = 0] = loadavg();
  return cpus > 0 ? oneMinute / cpus : 1;
}

function notLoadedInTime(boundMs: number): Error {
  return new Error(`it has not finished loading after ${Math.round(boundMs / 100) / 10} s (an endless loop at its top level, or a top-level await that never settles? ` +
    'A module that really loads this slowly: set VMMSIM_LOAD_BOUND_MS)');
}

/**
 * The module's default export, boxed: an async function that returned a promise export itself
 * would wait on it, and one that never settles would leave nothing to keep the process alive.
 */
export interface ImportedModule { exported: unknown }

const imported = new Map<string, Promise<ImportedModule>>();

/**
 * A module is imported once per thread (and per version of its file): a threaded run's command
 * line checks the scenario and its orchestrator loads it again on the same thread. A second
 * import ran the module's top level again, and a timer the first had set could end the process
 * while the second was still loading: a late throw (exit 1) or process.exit (exit 3) of the
 * module's was then reported as a failed load (exit 2), depending on the machine's load.
 */
export function importModule(file: string): Promise<ImportedModule> {
  const key = fileVersionKey(file);
  let result = imported.get(key);
  if (result === undefined) {
    result = importOnce(file);
    imported.set(key, result);
  }
  return result;
}

/**
 * Whether a load is tried on a thread of its own first (probeLoad). The main thread always does;
 * a watched worker that is the first to load a trace's module (replay, shrink, trace: the main
 * thread does not load it) asks for it, or a module that never finished loading held it past
 * Ctrl-C (an outside audit).
 */
let probeHere = isMainThread;

export function probeLoadsOnThisThread(): void {
  probeHere = true;
}

/**
 * While the module loads, the process ending is the module's doing (its `process.exit`, or a
 * top-level await that never settles, after which Node exits 13 in silence): one line naming the
 * module, exit 2. A load still pending after the bound (something else keeps the process
 * alive) is reported the same way.
 */
/**
 * The load bound as the environment gave this thread when it started: a module's top level that
 * set process.env.VMMSIM_LOAD_BOUND_MS changed the bound of the loads after it, on this thread
 * and on the threads started after (an outside audit).
 */
const LOAD_BOUND_SETTING = process.env['VMMSIM_LOAD_BOUND_MS'];

async function importOnce(file: string): Promise<ImportedModule> {
  const url = pathToFileURL(file).href;
  const boundMs = loadBoundMs(LOAD_BOUND_SETTING);
  // A load that never ends would hold this thread: try it on a thread that can be ended first.
  if (probeHere) {
    const probe = await probeLoad(file, url, boundMs);
    if (probe === 'timeout') throw notLoadedInTime(boundMs);
    if (probe === 'exportTimeout') throw new Error(`reading its default export has not finished after ${Math.round(boundMs / 100) / 10} s (a getter or proxy trap without end?)`);
    if (probe === 'outOfMemory') throw new Error(`it used more than ${LOAD_HEAP_MB} MB of memory while loading (an allocation without end at its top level?)`);
    if (typeof probe === 'object') throw processCallError(probe);
  }
  resolveOwnNameOnThisThread();
  const { tsImport } = await import('tsx/esm/api');
  const onExit = (): void => {
    process.stderr.write(`vmmsim: cannot load scenario ${displayPath(file)}: the process ended while it loaded (process.exit, or a top-level await that never settles)\n`);
    process.exitCode = 2;
  };
  process.on('exit', onExit);
  let timer: NodeJS.Timeout | undefined;
  try {
    const bound = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(notLoadedInTime(boundMs)), boundMs);
      timer.unref();
    });
    const module = (await whileLoading(() => whileScenarioLoads(() => Promise.race([tsImport(url, { parentURL: import.meta.url }), bound])))) as { default?: unknown };
    // Before any object is made here: a top level that defined Object.prototype.then made every
    // object a thenable, and the very box this returns never settled (a hang past Ctrl-C); one
    // that replaced Array.prototype.push broke the validation with a message about its insides.
    const changed = restoreBuiltins();
    if (changed.length > 0) throw new Error(`its top level changed the built-in ${changed.join(', ')}, which vmmsim's own code relies on (put back; a scenario module may not)`);
    return { exported: unwrapDefault(module.default) };
  } finally {
    clearTimeout(timer);
    process.off('exit', onExit);
    // Put back for the threads started after this load too (each copies the environment).
    if (process.env['VMMSIM_LOAD_BOUND_MS'] !== LOAD_BOUND_SETTING) {
      if (LOAD_BOUND_SETTING === undefined) delete process.env['VMMSIM_LOAD_BOUND_MS'];
      else process.env['VMMSIM_LOAD_BOUND_MS'] = LOAD_BOUND_SETTING;
    }
  }
}

/** The probe's refusal as the load's error: its stack names the module's line. */
function processCallError(probe: ProcessCall): Error {
  const error = new Error(`its top level calls ${probe.call}, which would act on the whole vmmsim process (a scenario module may not)`);
  error.stack = `Error: ${error.message}\n${probe.stack.split('\n').slice(1).join('\n')}`;
  return error;
}

/** A CommonJS-compiled ES module arrives as `{ default: { __esModule, default: scenario } }`. */
function unwrapDefault(value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '__esModule' in value && 'default' in value) return value.default;
  return value;
}

/** One line: `scenario.ts:2:48: Expected "}" but found ";"`, or `scenario.ts: Error: boom`. */
export function describeLoadError(error: unknown, file: string): string {
  try {
    return describeLoadErrorOf(error, file);
  } catch {
    return `${displayPath(file)}: a value that cannot be printed was thrown`;
  }
}

function describeLoadErrorOf(error: unknown, file: string): string {
  const shown = displayPath(file);
  if (!(error instanceof Error)) return `${shown}: ${printableText(error)}`;
  // esbuild: "Transform failed with 1 error:\n/abs/file.ts:2:48: ERROR: Expected ..."
  const syntax = /^(.+?):(\d+):(\d+): ERROR: (.*)$/m.exec(error.message);
  if (syntax !== null) return `${displayPath(syntax[1]!)}:${syntax[2]}:${syntax[3]}: ${syntax[4]}`;
  const at = frameIn(stackText(error), file);
  const message = oneLine(printableText(error.message).split('\n')[0]!);
  return `${shown}${at}: ${error.name === 'Error' ? '' : `${error.name}: `}${message}`;
}

/** `:line:column` of the first stack frame inside `file`, or '' when no frame is. */
function frameIn(stack: string, file: string): string {
  const url = pathToFileURL(file).href;
  for (const line of stack.split('\n')) {
    for (const prefix of [file, url]) {
      const index = line.indexOf(prefix);
      if (index < 0) continue;
      // tsx may add a query (its namespace) to the module's URL.
      const match = /^(?:\?[^:\s]*)?:(\d+):(\d+)/.exec(line.slice(index + prefix.length));
      if (match !== null) return `:${match[1]}:${match[2]}`;
    }
  }
  return '';
}

function displayPath(path: string): string {
  const absolute = path.startsWith('file:') ? fileURLToPath(path) : path;
  const shown = relative(process.cwd(), absolute);
  return shown.startsWith('..') ? absolute : shown;
}

/** A thrown value as text, even one that refuses to be printed. */
function printableText(value: unknown): string {
  try {
    return String(value);
  } catch {
    return 'a value that cannot be printed was thrown';
  }
}
