/**
 * The core's steps per second measured in a process of its own (this module run as a child), as
 * a user's process runs one scenario: a `vmmsim run`, one explore campaign, one replay.
 *
 * Why: the suite's process runs the event path's scenario in the simulator on its main thread
 * first (that figure's bound, threads/coreAlone.ts, with each of the 12 event-path rows: another
 * device, another record mix), and V8 compiles the core's functions for what it has seen, so the
 * default scenario would run on code shaped by another scenario (peer/inChild.ts measured 3-4% of
 * that effect on the explorer). The child does what the suite did: one whole measurement not
 * kept, then `times` samples, then the allocation run.
 *
 *   node dist/bench/simStepsInChild.js [steps] [times]   prints the JSON the suite reads
 */
import { runBenchInChild } from './childRun.js';
import { measureSimSteps, type SimStepsResult } from './simSteps.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface SimStepsSamples {
  /** The timed runs, in order. */
  samples: SimStepsResult[];
  /** A run of as many steps with the allocation meter on (simSteps.ts). */
  allocation: SimStepsResult;
}

export function measureSimStepsSamples(steps: number, times: number): SimStepsSamples {
  // One whole measurement first, not kept: the figure is the steady state (as exploration and
  // replay run), and a process's first run is still compiled on V8's background threads for
  // about a second (measured: ~1.05M steps/s with ~0.65 CPU-seconds per wall second, against
  // ~2M steps/s from the second run on, whatever the warm-up's length).
  measureSimSteps({ steps });
  const samples: SimStepsResult[] = [];
  for (let i = 0; i < times; i++) samples.push(measureSimSteps({ steps }));
  // What a step allocates sets how often the thread that runs it stops to scavenge (the latency tail).
  const allocation = measureSimSteps({ steps, warmupSteps: 0, allocation: true });
  return { samples, allocation };
}

export function measureSimStepsInChild(steps: number, times: number): Promise<SimStepsSamples> {
  return runBenchInChild<SimStepsSamples>('simStepsInChild', [String(steps), String(times)]);
}

runIfEntry(import.meta.url, async () => measureSimStepsSamples(Number(process.argv[2] ?? 300_000), Number(process.argv[3] ?? 3)));
