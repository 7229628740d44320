/**
 * Event-path throughput on threads, next to the raw floor measured right after it: the project's
 * SAB queue moving the same number of messages, of the same size, from the same number of
 * producer threads, with no VMM logic behind it; and next to its bound, the same scenario in the
 * simulator on one thread (the core alone), per CPU-second like the VMM actor's figure.
 *   npm run build && node dist/bench/eventPath.js [vms] [durationMs] [auto|split|shared] [windowOps]
 * The third argument places the run's threads (threadLayout.ts): `split` gives the VMM actor a
 * CPU of its own even on a busy machine, `shared` lets every thread go anywhere. The fourth sets
 * the VM actors' credit window (default DEFAULT_WINDOW_OPS).
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_WINDOW_OPS, queueCapacity, runThreads } from '../src/actors/threads/orchestrator.js';
import { OP_MESSAGE_WORDS } from '../src/actors/threads/opMessage.js';
import type { ThreadLayoutMode } from '../src/actors/threads/threadLayout.js';
import { measureCoreAlone } from './threads/coreAlone.js';
import { measureRawQueue } from './transport/rawQueue.js';
import { runIfEntry } from './transport/runDirectly.js';

/** Steps of the core-alone run beside each row (~0.2 s). */
const CORE_ALONE_STEPS = 200_000;

/** The event-path scenario module, compiled or (under tsx) as source. */
export function eventPathScenarioPath(): string {
  const extension = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
  return fileURLToPath(new URL(`./scenarios/eventPath.${extension}`, import.meta.url));
}

export interface EventPathRow {
  vms: number;
  eventsPerSec: number;
  /** Client steps (queue messages consumed) per second: equal to events here. */
  stepsPerSec: number;
  messages: number;
  rawQueueMsgsPerSec: number;
  ratio: number;
  invariantsOk: boolean;
  /** The VMM actor's wall time: in the core, waiting for ops, between slices (percent). */
  vmmTimePct: { core: number; waitForOps: number; betweenSlices: number };
  /** Share of the wall time the VMM thread had a CPU (percent; null off Linux): the rest it waited for one or parked. */
  vmmCpuPct: number | null;
  /** Events per second of CPU the VMM thread had: the event path independent of the machine's load. */
  eventsPerVmmCpuSec: number | null;
  /** The same scenario in the simulator on one thread, no transport, per CPU-second: the bound of the figure above. */
  coreAloneEventsPerCpuSec: number;
  /** eventsPerVmmCpuSec over coreAloneEventsPerCpuSec: the share of the VMM's CPU left to the core by the transport and the run's bookkeeping. */
  vmmCpuToCoreAlone: number | null;
  /** The thread layout asked for, and the CPUs the VMM actor ran on (null: not placed). */
  threadLayout: ThreadLayoutMode;
  vmmCpus: number[] | null;
  /** Share of the wall time the VMM thread was ready but waited for a CPU (percent; null off Linux). */
  vmmRunQueuePct: number | null;
  /** Times the scheduler took the VMM thread's CPU away, per second. */
  vmmPreemptionsPerSec: number | null;
  /** Parked VM actors the VMM woke on their credit per second, and its wall time in those wakes (percent). */
  creditWakesPerSec: number | null;
  creditWakePct: number | null;
}

export async function measureEventPath(vms: number, durationMs: number, threadLayout: ThreadLayoutMode = 'auto', windowOps = DEFAULT_WINDOW_OPS): Promise<EventPathRow> {
  const scenario = { kind: 'module', path: eventPathScenarioPath(), vms } as const;
  const run = await runThreads({
    // As many VM actors as raw producers below (the scenario module's own count is 4).
    scenario, seed: 1,
    config: { handleMode: 'checked', latitude: false }, durationMs, threadLayout, windowOps,
  });
  if (run.outcome !== 'completed') throw new Error(`event-path run ${run.outcome}: ${run.fault?.error.message ?? ''}`);
  const messages = Math.max(vms * 1000, run.last?.steps ?? 0);
  const raw = await measureRawQueue({
    producers: vms, messagesPerProducer: Math.ceil(messages / vms), wordsPerMessage: OP_MESSAGE_WORDS,
    capacityMessages: queueCapacity(vms, windowOps), // the run's queue
  });
  const coreAlone = await measureCoreAlone(scenario, CORE_ALONE_STEPS);
  const time = run.vmm?.time;
  const thread = run.vmm?.thread ?? null;
  const cpuMs = thread?.cpuMs;
  const pct = (ms: number | undefined): number => (time === undefined || ms === undefined ? 0 : Math.round((1000 * ms) / time.wallMs) / 10);
  const eventsPerVmmCpuSec = cpuMs === undefined || cpuMs <= 0 ? null : Math.round((run.eventsPerSec * run.durationS) / (cpuMs / 1000));
  return {
    vms, eventsPerSec: run.eventsPerSec, stepsPerSec: run.stepsPerSec, messages,
    rawQueueMsgsPerSec: Math.round(raw.msgsPerSec), ratio: run.eventsPerSec / raw.msgsPerSec,
    invariantsOk: run.last?.invariantsOk ?? false,
    vmmTimePct: { core: pct(time?.coreMs), waitForOps: pct(time?.waitForOpsMs), betweenSlices: pct(time?.betweenSlicesMs) },
    vmmCpuPct: cpuMs === undefined ? null : pct(cpuMs),
    eventsPerVmmCpuSec,
    coreAloneEventsPerCpuSec: coreAlone.eventsPerCpuSec,
    vmmCpuToCoreAlone: eventsPerVmmCpuSec === null ? null : Math.round((1000 * eventsPerVmmCpuSec) / coreAlone.eventsPerCpuSec) / 1000,
    threadLayout, vmmCpus: run.vmm?.placement?.cpus ?? null,
    vmmRunQueuePct: thread === null ? null : pct(thread.runQueueMs),
    vmmPreemptionsPerSec: thread === null ? null : Math.round(thread.involuntarySwitches / run.durationS),
    creditWakesPerSec: time === undefined ? null : Math.round(time.creditWakes / run.durationS),
    creditWakePct: time === undefined ? null : pct(time.creditWakeMs),
  };
}

const LAYOUTS: readonly ThreadLayoutMode[] = ['auto', 'split', 'shared'];

runIfEntry(import.meta.url, () => {
  const layout = (process.argv[4] ?? 'auto') as ThreadLayoutMode;
  if (!LAYOUTS.includes(layout)) throw new Error(`thread layout must be one of ${LAYOUTS.join(', ')}, got ${layout}`);
  return measureEventPath(Number(process.argv[2] ?? 8), Number(process.argv[3] ?? 3000), layout, Number(process.argv[5] ?? DEFAULT_WINDOW_OPS));
});
