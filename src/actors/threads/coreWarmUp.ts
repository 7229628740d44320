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
 *
 * The scratch machine's event table is aged first (ageHandles): in checked mode a handle is
 * generation << 17 | ..., so it passes 2^30 (no longer a small integer to V8) once a node has
 * been reused 8,192 times and 2^31 at 16,384. A run reaches that after seconds, and V8 then
 * generalizes every object shape that holds a handle and throws away the optimized code built
 * on the old one: measured (4 s latency run, --trace-deopt on the VMM thread), 133 of the run's
 * 185 deoptimizations in one burst at 2.7 s, the core interpreted until it was compiled again.
 * Handles of both sizes in the warm-up compile the core for them from the start.
 */
import { defaultScenario } from '../../scenario/default.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { VmmConfig } from '../../vmm/config.js';
import { Rng } from '../../shared/rng.js';
import { DEFAULT_MIX, Workload, entryPoints, virtualizedIrqs, type WorkloadMix } from '../workload.js';
import { defaultStrategy } from '../sim/simulate.js';
import { runLoopSteps } from '../sim/simRun.js';
import { RunLoop } from '../runLoop.js';
import type { EventTable } from '../../vmm/eventTable.js';

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
  const loop = new RunLoop({ scenario, seed: 1, choices: defaultStrategy(scenario, 1).choices, tailRecords: 1, ...(config !== undefined ? { config } : {}) });
  ageHandles(loop.vmm.table);
  return runLoopSteps(loop, steps).steps;
}

/** Generations past which a checked handle is ≥ 2^30 (not a V8 small integer), and ≥ 2^31 (not an int32). */
const GENERATION_PAST_2_30 = 1 << 13;
const GENERATION_PAST_2_31 = 1 << 14;

/**
 * Leaves `table` empty with its first two nodes reused so often that the next handles it gives
 * out (checked mode) are ≥ 2^30 and ≥ 2^31; the nodes after them start at generation 1 as usual.
 */
export function ageHandles(table: EventTable): void {
  const first = table.allocate('global', 0, 0, 0);
  let second = table.allocate('global', 0, 0, 0);
  if (first === undefined || second === undefined) return;
  for (let i = 0; i < GENERATION_PAST_2_31; i++) {
    table.release(second);
    second = table.allocate('global', 0, 0, 0)!;
  }
  table.release(second);
  let again = first;
  for (let i = 0; i < GENERATION_PAST_2_30; i++) {
    table.release(again);
    again = table.allocate('global', 0, 0, 0)!;
  }
  table.release(again);
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
