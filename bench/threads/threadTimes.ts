// What each thread of a threaded run does per second of the run: time on a CPU, time ready but
// waiting for one, time parked, context switches; and for the VMM actor, how its wall-clock time
// splits between the core, waiting for ops and the work between slices. Next to it, the core
// alone: the same scenario's steps/s on this thread with no transport (the VMM actor's bound).
//   npm run build && node dist/bench/threads/threadTimes.js [eventPath|latency] [vms] [durationMs] [windowOps]
import { runThreads, type ThreadRunResult } from '../../src/actors/threads/orchestrator.js';
import { readThreadTimes, threadTimesSince, type ThreadTimes } from '../../src/actors/threads/threadTimes.js';
import type { ScenarioRef } from '../../src/shared/trace.js';
import { eventPathScenarioPath } from '../eventPath.js';
import { runIfEntry } from '../transport/runDirectly.js';
import { measureCoreAlone } from './coreAlone.js';

/** One thread's share of each wall-clock second (percent) and its switches per second. */
export interface ThreadShare {
  thread: string;
  cpuPct: number;
  runQueuePct: number;
  /** The rest of the wall clock: blocked (parked, sleeping, idle event loop). */
  parkedPct: number;
  voluntaryPerSec: number;
  involuntaryPerSec: number;
}

export interface ThreadTimesReport {
  what: string;
  vms: number;
  durationS: number;
  stepsPerSec: number;
  eventsPerSec: number;
  /** The VMM thread's involuntary context switches (preempted) per 1,000 steps. */
  vmmPreemptionsPerKiloStep: number;
  /** VM actors' parks (voluntary switches) per 1,000 steps, all VM actors together. */
  vmParksPerKiloStep: number;
  /** Steps per second of CPU the VMM thread had (independent of how loaded the machine is). */
  stepsPerVmmCpuSec: number;
  /** The same scenario on one thread, no transport, per second of CPU: what the VMM actor could do at most. */
  coreAloneStepsPerCpuSec: number;
  vmmTimePct: { core: number; waitForOps: number; betweenSlices: number };
  vmmParksPerSec: number;
  threads: ThreadShare[];
}

const perKilo = (count: number, steps: number): number => (steps > 0 ? Math.round((10_000 * count) / steps) / 10 : 0);
const pct = (partMs: number, wallMs: number): number => Math.round((1000 * partMs) / wallMs) / 10;

function share(thread: string, times: ThreadTimes | null, wallMs: number): ThreadShare | null {
  if (times === null) return null;
  return {
    thread, cpuPct: pct(times.cpuMs, wallMs), runQueuePct: pct(times.runQueueMs, wallMs),
    parkedPct: pct(Math.max(0, wallMs - times.cpuMs - times.runQueueMs), wallMs),
    voluntaryPerSec: Math.round(times.voluntarySwitches / (wallMs / 1000)),
    involuntaryPerSec: Math.round(times.involuntarySwitches / (wallMs / 1000)),
  };
}

export async function coreAloneStepsPerCpuSec(scenarioRef: ScenarioRef, steps: number): Promise<number> {
  return (await measureCoreAlone(scenarioRef, steps)).stepsPerCpuSec;
}

export async function measureThreadTimes(what: 'eventPath' | 'latency', vms: number, durationMs: number, windowOps?: number): Promise<ThreadTimesReport> {
  const scenario: ScenarioRef = what === 'eventPath'
    ? { kind: 'module', path: eventPathScenarioPath(), vms }
    : { kind: 'builtin', name: 'default', vms, steps: 200_000 };
  const mainAtStart = readThreadTimes();
  const run: ThreadRunResult = await runThreads({
    scenario: scenario.kind === 'module' ? scenario : { kind: 'builtin', vms }, seed: 1,
    config: { handleMode: 'checked', latitude: false }, durationMs, measureLatency: what === 'latency',
    ...(windowOps !== undefined ? { windowOps } : {}),
  });
  const mainTimes = threadTimesSince(mainAtStart);
  if (run.outcome !== 'completed' || run.vmm === null) throw new Error(`run ${run.outcome}: ${run.fault?.error.message ?? ''}`);
  const { time } = run.vmm;
  const wallMs = time.wallMs;
  const threads = [
    share('vmm', run.vmm.thread, wallMs),
    share('pic', run.pic?.thread ?? null, wallMs),
    ...run.vms.map((vm) => share(`vm${vm.vmId}`, vm.thread, wallMs)),
    // The main thread's figures include spawning and configuring the workers.
    share('main (whole call)', mainTimes, wallMs),
  ].filter((t): t is ThreadShare => t !== null);
  return {
    what, vms, durationS: run.durationS, stepsPerSec: run.stepsPerSec, eventsPerSec: run.eventsPerSec,
    vmmPreemptionsPerKiloStep: perKilo(run.vmm.thread?.involuntarySwitches ?? 0, run.last?.steps ?? 0),
    vmParksPerKiloStep: perKilo(run.vms.reduce((sum, vm) => sum + (vm.thread?.voluntarySwitches ?? 0), 0), run.last?.steps ?? 0),
    stepsPerVmmCpuSec: run.vmm.thread === null ? 0 : Math.round((run.last?.steps ?? 0) / (run.vmm.thread.cpuMs / 1000)),
    coreAloneStepsPerCpuSec: await coreAloneStepsPerCpuSec(scenario, 200_000),
    vmmTimePct: { core: pct(time.coreMs, wallMs), waitForOps: pct(time.waitForOpsMs, wallMs), betweenSlices: pct(time.betweenSlicesMs, wallMs) },
    vmmParksPerSec: Math.round(time.parks / (wallMs / 1000)),
    threads,
  };
}

runIfEntry(import.meta.url, () => {
  const what = process.argv[2] === 'latency' ? 'latency' : 'eventPath';
  const windowOps = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
  return measureThreadTimes(what, Number(process.argv[3] ?? 8), Number(process.argv[4] ?? 3000), windowOps);
});
