// The CLI run in this process (no Node start-up per run): main() on an argv, with stdout and
// stderr captured and a time bound. Runs one at a time (the capture is process-wide).
import { main } from '../../../src/cli/program.js';

export interface CliResult {
  code: number | 'hang';
  stdout: string;
  stderr: string;
  ms: number;
}

let queue: Promise<unknown> = Promise.resolve();

export function runInProcess(argv: string[], boundMs = 60_000): Promise<CliResult> {
  const run = queue.then(() => runNow(argv, boundMs));
  queue = run.catch(() => undefined);
  return run;
}

async function runNow(argv: string[], boundMs: number): Promise<CliResult> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const bound = new Promise<'hang'>((resolve) => (timer = setTimeout(resolve, boundMs, 'hang')));
    const { value: code, ...output } = await withCapturedOutput(() => Promise.race([main(argv), bound]));
    return { code, ...output };
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `fn` with this process's stdout and stderr captured; `addToStderr` appends to what it captured. */
export async function withCapturedOutput<T>(
  fn: (addToStderr: (text: string) => void) => Promise<T>,
): Promise<{ value: T; stdout: string; stderr: string; ms: number }> {
  let stdout = '';
  let stderr = '';
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  const started = performance.now();
  try {
    const value = await fn((text) => (stderr += text));
    return { value, stdout, stderr, ms: performance.now() - started };
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
}

/** What the README's exit-code table promises for any input (no signal sent). */
export function contractBreaches(result: CliResult): string[] {
  const breaches: string[] = [];
  if (result.code === 'hang') breaches.push('hang');
  else if (![0, 1, 2, 3].includes(result.code)) breaches.push(`exit ${result.code}`);
  if (/^\s+at .+:\d+:\d+\)?$/m.test(result.stderr) || /internal error/.test(result.stderr)) breaches.push('stack trace');
  if (result.code === 2 && result.stderr.trimEnd().split('\n').length !== 1) breaches.push('not one line on stderr');
  return breaches;
}
