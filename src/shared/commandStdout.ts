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

/** Everything else written to this thread's stdout goes to its stderr. */
export function scenarioStdoutToStderr(): void {
  process.stdout.write = toStderr;
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
  return write === toStderr;
}

const toStderr = ((chunk: string | Uint8Array, ...rest: never[]): boolean => process.stderr.write(chunk, ...rest)) as typeof process.stdout.write;
