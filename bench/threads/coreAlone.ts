// The bound of the threaded event path: the same scenario run by the simulator on this thread,
// with no transport at all (ops from the seeded workload, choices from the default strategy),
// checker and hashing on, per second of this thread's CPU. The VMM actor runs the same core, so
// its events per CPU-second can only approach this.
//
// On its own: `node dist/bench/threads/coreAlone.js [vms] [steps]` (the event-path scenario, 4 VMs,
// 200,000 steps by default) prints the median of three runs as JSON.
import { fileURLToPath } from 'node:url';
import { runSim } from '../../src/actors/sim/simRun.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { readThreadTimes, threadTimesSince } from '../../src/actors/threads/threadTimes.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioRef } from '../../src/shared/trace.js';
import { runIfEntry } from '../transport/runDirectly.js';

export interface CoreAlone {
  stepsPerCpuSec: number;
  /** Call_*_Event callbacks run (called now or dispatched) per CPU-second, as the threaded run counts events. */
  eventsPerCpuSec: number;
}

export async function measureCoreAlone(scenarioRef: ScenarioRef, steps: number): Promise<CoreAlone> {
  const scenario = await loadScenario(scenarioRef);
  const run = (n: number): CoreAlone => {
    const start = readThreadTimes();
    const startCpu = process.cpuUsage();
    const result = runSim({ scenario, seed: 1, steps: n, choices: defaultStrategy(scenario, 1).choices, config: { handleMode: 'checked', latitude: false } });
    // This thread's CPU time where the kernel gives it, else the process's (the run is on this thread alone).
    const cpuMs = threadTimesSince(start)?.cpuMs ?? (() => { const u = process.cpuUsage(startCpu); return (u.user + u.system) / 1000; })();
    const events = result.counts.calledNow + result.counts.dispatched;
    return { stepsPerCpuSec: Math.round(result.steps / (cpuMs / 1000)), eventsPerCpuSec: Math.round(events / (cpuMs / 1000)) };
  };
  run(Math.min(steps, 20_000)); // warm-up
  // The median of three: one run can lose its CPU time to a collection or a busy neighbour.
  const runs = [run(steps), run(steps), run(steps)].sort((a, b) => a.eventsPerCpuSec - b.eventsPerCpuSec);
  return runs[1]!;
}

runIfEntry(import.meta.url, () => {
  const vms = Number(process.argv[2] ?? 4);
  const steps = Number(process.argv[3] ?? 200_000);
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  const path = fileURLToPath(new URL(`../scenarios/eventPath.${extension}`, import.meta.url));
  return measureCoreAlone({ kind: 'module', path, vms }, steps);
});
