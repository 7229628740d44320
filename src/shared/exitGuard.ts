/**
 * Who ended the process. A scenario module runs code of its own on the main thread (it is
 * imported there to be checked), and a timer it set may call `process.exit(0)` in the middle of
 * a run: the run then ended with no report and exit 0, as if it had passed. vmmsim's own exits
 * go through `exitNow`; any other while a command runs is reported (one line, exit 3), except
 * while a module loads, where the loader says what happened (importModule.ts).
 */
let commandRunning = false;
let ownExit = false;
let loading = 0;

/** process.exit as vmmsim found it, before any scenario module was imported. */
const exitProcess: (code: number) => never = process.exit.bind(process);

/**
 * vmmsim's own exit (a second Ctrl-C, a closed stdout, the command's end), with its code whatever
 * a scenario module's 'exit' listener does: an outside audit's module ended a run that had found
 * a bug with exit 0 (`process.on('exit', () => process.exit(0))`, or `process.exitCode = 0`).
 * A listener added now runs after the module's, and a process.exit made by one exits with ours.
 */
export function exitNow(code: number): never {
  ownExit = true;
  for (const finish of [...beforeExit]) {
    try {
      finish();
    } catch {
      // The exit goes on: what could not be finished stays as it was.
    }
  }
  process.on('exit', () => void (process.exitCode = code));
  process.exit = ((_ignored?: number) => exitProcess(code)) as typeof process.exit;
  return exitProcess(code);
}

const beforeExit = new Set<() => void>();

/**
 * What vmmsim's own exit does first, synchronously (a trace file being written gets its end line
 * at a second Ctrl-C: without it a replay refused the whole file, the parts written before
 * included). Returns what takes it back.
 */
export function atOwnExit(finish: () => void): () => void {
  beforeExit.add(finish);
  return () => void beforeExit.delete(finish);
}

/** A module is being imported: its process.exit is reported by the loader. */
export function whileLoading<T>(load: () => Promise<T>): Promise<T> {
  loading++;
  return load().finally(() => loading--);
}

/** Watches the process's end while a command runs; `done()` when the command is over. */
export function guardExits(): { done(): void } {
  commandRunning = true;
  process.on('exit', (code) => {
    if (!commandRunning || ownExit || loading > 0) return;
    process.stderr.write(`vmmsim: scenario code called process.exit(${code}) before the command finished; the run is ended, its report and trace are incomplete\n`);
    process.exitCode = 3;
  });
  return { done: () => (commandRunning = false) };
}
