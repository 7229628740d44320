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
 */
import { defaultScenario } from '../../scenario/default.js';
import { defaultStrategy } from '../sim/simulate.js';
import { runSim } from '../sim/simRun.js';

/** Steps of the scratch run: ~0.2 s on a fresh isolate, enough for V8 to optimize the core's hot paths. */
export const CORE_WARM_UP_STEPS = 100_000;

/** Runs the built-in machine for `steps` steps and discards it; returns the steps run. */
export function warmUpCore(steps: number): number {
  if (steps <= 0) return 0;
  const scenario = defaultScenario(4, steps);
  return runSim({ scenario, seed: 1, steps, choices: defaultStrategy(scenario, 1).choices, tailRecords: 1 }).steps;
}
