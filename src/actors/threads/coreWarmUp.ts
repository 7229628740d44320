/**
 * The VMM actor compiles the core before the run starts. A fresh isolate runs its first few
 * hundred thousand core steps on code V8 has not optimized yet, and compiles the rest on its
 * background threads while the run goes: on a 2-core machine those first seconds are when the
 * VMM thread waits longest for a CPU and interrupts wait longest for the VMM (measured: the
 * latency p99 of a 3-4 s run ~3 ms, of a 10 s run ~1.2 ms). So before the clock starts, the
 * actor runs the built-in machine (never the user's devices: their code might keep state
 * between machines, and the run must be the same as its replay) in the simulated runtime on a
 * scratch machine, then throws it away. The run's own machine is built afterwards, so nothing
 * of the scratch run (its records, the ring-0 watch, the device names) reaches it.
 *
 * The scratch machine runs with the run's machine config (handle mode, latitude, client
 * registers in shared memory) and its clients draw their ops from the run's workload mix: data,
 * not user code, so that the core is compiled for the paths and op kinds the run takes. Measured on the event-path
 * scenario (clients that only trap), events per CPU-second: on one thread 1.19M with no warm-up,
 * 1.12M after a warm-up on the built-in mix (the core's op sites had seen every op shape), 1.185M
 * after one on the run's own mix; on threads (VMM thread, loaded machine) 1.02M, 0.94M, 0.98M.
 * A mix the built-in machine cannot draw from (no weight on a kind its devices offer) warms on
 * the built-in mix.
 */
import { defaultScenario } from '../../scenario/default.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { VmmConfig } from '../../vmm/config.js';
import { Rng } from '../../shared/rng.js';
import { DEFAULT_MIX, Workload, entryPoints, virtualizedIrqs, type WorkloadMix } from '../workload.js';
import { defaultStrategy } from '../sim/simulate.js';
import { runSim } from '../sim/simRun.js';

/** Steps of the scratch run: ~0.2 s on a fresh isolate, enough for V8 to optimize the core's hot paths. */
export const CORE_WARM_UP_STEPS = 100_000;

/** Runs the built-in machine for `steps` steps (with `config`, its clients on `mix`) and discards it; returns the steps run. */
export function warmUpCore(steps: number, mix?: Partial<WorkloadMix>, config?: Partial<VmmConfig>): number {
  if (steps <= 0) return 0;
  const builtIn = defaultScenario(4, steps);
  if (mix !== undefined && drawsOps(builtIn, mix)) return run({ ...builtIn, mix }, steps, config);
  return run(builtIn, steps, config);
}

function run(scenario: Scenario, steps: number, config: Partial<VmmConfig> | undefined): number {
  return runSim({ scenario, seed: 1, steps, choices: defaultStrategy(scenario, 1).choices, tailRecords: 1, ...(config !== undefined ? { config } : {}) }).steps;
}

/** Whether a client workload on `scenario`'s devices can draw ops from `mix` (some kind it offers has weight). */
function drawsOps(scenario: Scenario, mix: Partial<WorkloadMix>): boolean {
  try {
    new Workload(new Rng(1), entryPoints(scenario.devices), { ...DEFAULT_MIX, ...mix }, virtualizedIrqs(scenario.devices));
    return true;
  } catch {
    return false;
  }
}
