/**
 * Starting an actor's worker thread from its thin entry file in workers/: the compiled
 * dist/workers/<name>.js normally, or workers/<name>.ts under tsx (tests, `tsx src/cli/main.ts`).
 */
import { Worker, type TransferListItem, type WorkerOptions } from 'node:worker_threads';

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

/**
 * The VMM actor's young generation (V8 gives each of its two semi-spaces a third: ~1 MB; V8's
 * own limit is 16 MB semi-spaces, which the VMM's allocation rate reaches within a second).
 * Why: an IRQ raised during a scavenge waits for all of it, and a scavenge's pause grows with
 * the semi-space, though the VMM's survivors stay tiny (~25 KB): V8's trace (--trace-gc-nvp)
 * shows the time in the parallel phase (old-to-new slots, ∝ allocation) and per-page work.
 * Measured (--trace-gc, the core alone and 4 s latency runs of the VMM actor): 16 MB
 * semi-spaces, scavenges of 0.25-0.5 ms; 2 MB, 0.08-0.25 ms; 1 MB, 0.06-0.09 ms, 16 times as
 * many, about 3 times the GC time in all (~2% of the VMM's time instead of ~0.7%): pauses under
 * the raw wake's p99. The core's CPU steps/s did not move beyond the noise (single thread, one
 * process, median of 5: 1.81-1.84M at 16 MB, 1.72-2.06M at 1 MB).
 */
export const VMM_YOUNG_GENERATION_MB = 3;

export function spawnActor(entry: ActorEntry, workerData: unknown, transferList: TransferListItem[]): Worker {
  const resourceLimits = entry === 'vmmActor' ? { resourceLimits: { maxYoungGenerationSizeMb: VMM_YOUNG_GENERATION_MB } } : {};
  return spawnEntry(entry, { workerData, transferList, ...resourceLimits });
}

/** Any thin entry of workers/ (by its name without extension), compiled or under tsx. */
export function spawnEntry(entry: string, options: WorkerOptions): Worker {
  const extension = RUNNING_FROM_SOURCE ? 'ts' : 'js';
  // src/actors/threads/ (or dist/src/actors/threads/) → the workers/ beside src/.
  const url = new URL(`../../../workers/${entry}.${extension}`, import.meta.url);
  return new Worker(url, { ...options, ...(RUNNING_FROM_SOURCE ? { execArgv: tsxExecArgv() } : {}) });
}
