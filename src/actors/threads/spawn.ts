/**
 * Starting an actor's worker thread from its thin entry file in workers/: the compiled
 * dist/workers/<name>.js normally, or workers/<name>.ts under tsx (tests, `tsx src/cli/main.ts`).
 */
import { Worker, type TransferListItem } from 'node:worker_threads';

export type ActorEntry = 'vmmActor' | 'vmActor' | 'picActor';

/** True when this module is the TypeScript source (run via tsx), not the compiled .js. */
const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

/**
 * Under tsx the worker needs the TypeScript loader too. `--import tsx` is not enough: on Node 20
 * tsx installs its hooks on the main thread only, so the worker registers them itself via this
 * one-line data: module (absolute URL: data: modules cannot resolve bare package names).
 */
function tsxExecArgv(): string[] {
  const registerModule = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`;
  return ['--import', `data:text/javascript,${encodeURIComponent(registerModule)}`];
}

export function spawnActor(entry: ActorEntry, workerData: unknown, transferList: TransferListItem[]): Worker {
  const extension = RUNNING_FROM_SOURCE ? 'ts' : 'js';
  // src/actors/threads/ (or dist/src/actors/threads/) → the workers/ beside src/.
  const url = new URL(`../../../workers/${entry}.${extension}`, import.meta.url);
  return new Worker(url, { workerData, transferList, ...(RUNNING_FROM_SOURCE ? { execArgv: tsxExecArgv() } : {}) });
}
