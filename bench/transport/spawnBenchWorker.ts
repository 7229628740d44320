// Starts a bench worker script from bench/transport/workers/, both from the compiled
// output (dist/…/*.js, the normal way) and from source under tsx (*.ts).
import { Worker } from 'node:worker_threads';

/** True when this module is the TypeScript source (run via tsx), not the compiled .js. */
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Under tsx the worker needs the TypeScript loader too. `--import tsx` is not enough:
 * on Node 20 tsx installs its hooks on the main thread only, so the worker registers
 * them itself via this one-line data: module (absolute URL, as data: modules cannot
 * resolve bare package names).
 */
function tsxExecArgv(): string[] {
  const registerModule = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`;
  return ['--import', `data:text/javascript,${encodeURIComponent(registerModule)}`];
}

export function spawnBenchWorker(name: string, workerData: unknown): Worker {
  const extension = RUNNING_FROM_SOURCE ? 'ts' : 'js';
  const url = new URL(`./workers/${name}.${extension}`, import.meta.url);
  return RUNNING_FROM_SOURCE ? new Worker(url, { workerData, execArgv: tsxExecArgv() }) : new Worker(url, { workerData });
}

export interface WorkerHealth {
  /** First failure seen (uncaught error, or exit with a non-zero code), if any. */
  readonly error: Error | undefined;
  /** Rejects on the first failure; race awaited replies against it so a dead peer cannot hang a bench. */
  readonly failed: Promise<never>;
}

export function watchWorkers(workers: Worker[]): WorkerHealth {
  let fail: (error: Error) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => (fail = reject));
  failed.catch(() => undefined); // observed through `error` when nobody is racing it
  const health: { error: Error | undefined; failed: Promise<never> } = { error: undefined, failed };
  const record = (error: Error): void => {
    health.error ??= error;
    fail(health.error);
  };
  for (const w of workers) {
    w.once('error', record);
    w.once('exit', (code) => {
      if (code !== 0) record(new Error(`bench worker exited with code ${code}`));
    });
  }
  return health;
}
