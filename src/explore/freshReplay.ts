/**
 * A found trace replayed in a thread of its own before it is offered as "replay it".
 *
 * Why: the exploration and its shrinking run every execution in one thread, on one evaluation
 * of the scenario module. A module that keeps state at its top level (a counter, a cache, a
 * Map of handles) carries it from one execution into the next, so the execution shrinking ran
 * last may end in the violation only because of the executions before it. `vmmsim replay`
 * evaluates the module afresh, and there the same trace diverges. A new worker thread has a
 * module cache of its own, so a replay there is the replay the user will run; only a trace that
 * reproduces there is written.
 *
 * A replay that runs one ring-0 entry past the watchdog's bound (device code that loops when
 * its module state is fresh) is ended like any other hung device code.
 */
import { parentPort, workerData, type Worker } from 'node:worker_threads';
import { deviceNamesOf } from '../actors/deviceNames.js';
import { hungMessage, poolRing0Bound, ring0WatchBuffer, watchRing0 } from '../actors/ring0Watchdog.js';
import { replayTrace } from '../actors/sim/simulate.js';
import { spawnEntry } from '../actors/threads/spawn.js';
import { loadScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/scenario.js';
import type { TraceFile } from '../shared/trace.js';
import { ring0Watch } from '../vmm/ring0Watch.js';
import { setUpScenarioThread } from '../shared/scenarioThread.js';

/**
 * Does the trace reproduce on a fresh evaluation of its scenario? `why`: how it did not
 * ("diverged: ...", "hung: ...", "failed: ..."). 'unchecked': the scenario module would not
 * load there (a library caller's in-memory scenario under a made-up path): nothing is known,
 * and the trace stands as the thread that found it replayed it.
 */
export type FreshVerdict = { reproduced: true } | { reproduced: false | 'unchecked'; why: string };

interface FreshReplayData {
  trace: TraceFile;
  ring0: SharedArrayBuffer;
}

/** Only a scenario module can carry state between executions: built-in and zoo scenarios are the project's own, checked deterministic by its tests. */
export function needsFreshReplay(trace: TraceFile): boolean {
  return trace.scenario.kind === 'module';
}

/** `scenario`: the one the trace was found on, for the names in a hung replay's report. */
export function replayInFreshThread(trace: TraceFile, scenario: Scenario, boundMs = poolRing0Bound()): Promise<FreshVerdict> {
  const ring0 = ring0WatchBuffer();
  const worker: Worker = spawnEntry('freshReplay', { workerData: { trace, ring0 } satisfies FreshReplayData });
  return new Promise<FreshVerdict>((resolve) => {
    let settled = false;
    const settle = (verdict: FreshVerdict): void => {
      if (settled) return;
      settled = true;
      watchdog.stop();
      void worker.terminate();
      resolve(verdict);
    };
    const names = deviceNamesOf(scenario.devices);
    const watchdog = watchRing0(ring0, () => names, boundMs, (hung) => settle({ reproduced: false, why: `hung: ${hungMessage(hung)}` }));
    worker.on('message', (verdict: FreshVerdict) => settle(verdict));
    worker.on('error', (error) => settle({ reproduced: false, why: `failed: its thread ended on ${error.message}` }));
    worker.on('exit', (code) => settle({ reproduced: false, why: `failed: its thread exited (code ${code}) without a verdict` }));
  });
}

/** The worker's side (workers/freshReplay.ts): load the scenario afresh, replay, say how it went. */
export async function freshReplayTask(): Promise<void> {
  // This thread writes no command output: a print of the scenario's goes to stderr.
  setUpScenarioThread();
  const { trace, ring0 } = workerData as FreshReplayData;
  ring0Watch.attach(new Int32Array(ring0));
  let verdict: FreshVerdict;
  let scenario: Scenario;
  try {
    scenario = await loadScenario(trace.scenario);
  } catch (error) {
    parentPort!.postMessage({ reproduced: 'unchecked', why: `not loaded: ${(error as Error)?.message ?? String(error)}` } satisfies FreshVerdict);
    return;
  }
  try {
    const { divergence } = replayTrace(trace, scenario);
    verdict = divergence === null ? { reproduced: true } : { reproduced: false, why: `diverged: ${divergence.message}` };
  } catch (error) {
    verdict = { reproduced: false, why: `failed: ${(error as Error)?.message ?? String(error)}` };
  }
  parentPort!.postMessage(verdict);
}
