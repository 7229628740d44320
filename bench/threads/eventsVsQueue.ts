// The threaded run's event rate next to the raw cost of its data plane, in one process: first
// `vmmsim run`'s threaded runtime (4 VMs, the built-in devices, 3 s), then the bare MPSC queue
// with as many producer threads as the run had VM actors, the same message size and capacity.
//   npm run build && node dist/bench/threads/eventsVsQueue.js [durationS] [vms]
import { DEFAULT_WINDOW_OPS, queueCapacity, runThreads } from '../../src/actors/threads/orchestrator.js';
import { OP_MESSAGE_WORDS } from '../../src/actors/threads/opMessage.js';
import { measureRawQueue } from '../transport/rawQueue.js';
import { runIfEntry } from '../transport/runDirectly.js';

export interface EventsVsQueue {
  threads: { vms: number; workers: number; durationS: number; steps: number; stepsPerSec: number; eventsPerSec: number; invariantsOk: boolean };
  rawQueue: { producers: number; wordsPerMessage: number; msgsPerSec: number; messages: number };
  /** Queue messages per second the run itself moved (client ops: one per step). */
  runQueueMsgsPerSec: number;
}

export async function measureEventsVsQueue(durationS = 3, vms = 4): Promise<EventsVsQueue> {
  const run = await runThreads({ scenario: { kind: 'builtin', vms }, seed: 1, config: { handleMode: 'checked', latitude: false }, durationMs: durationS * 1000 });
  if (run.outcome !== 'completed' || run.last === null) throw new Error(`threaded run ${run.outcome}: ${JSON.stringify(run.fault)}`);
  const producers = run.vms.length;
  const raw = await measureRawQueue({ producers, wordsPerMessage: OP_MESSAGE_WORDS, capacityMessages: queueCapacity(producers, DEFAULT_WINDOW_OPS) });
  return {
    threads: {
      vms, workers: run.workers, durationS: run.durationS, steps: run.last.steps,
      stepsPerSec: Math.round(run.last.steps / run.durationS), eventsPerSec: run.eventsPerSec, invariantsOk: run.last.invariantsOk,
    },
    rawQueue: { producers, wordsPerMessage: OP_MESSAGE_WORDS, msgsPerSec: raw.msgsPerSec, messages: raw.messages },
    runQueueMsgsPerSec: Math.round((run.queue?.popped ?? 0) / run.durationS),
  };
}

runIfEntry(import.meta.url, () => measureEventsVsQueue(Number(process.argv[2] ?? 3), Number(process.argv[3] ?? 4)));
