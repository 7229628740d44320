/**
 * An execution whose thread hung (device code that never returned), run again from what its
 * execution board kept (executionBoard.ts): the same scenario, workload, step bound and stop
 * class, its recorded answers replayed, its decision log streamed out a chunk per step (an
 * execution is short: the 256 steps of a run's chunks would leave nothing). The run hangs again
 * at the same point, and the watchdog that ends it leaves the trace up to the step before the
 * one that hung, as it does for `run --runtime sim` up to its last chunk. Runs on a watched worker (cli/watched.ts, 'hung-rerun').
 */
import { ChoiceLog, ReplayChoices, type SerializedChoices } from '../actors/sim/choiceLog.js';
import { simulateInChunks } from '../actors/sim/simChunks.js';
import { loadScenario } from '../scenario/load.js';
import type { RunConfig, ScenarioRef } from '../shared/trace.js';
import type { StopClass } from './spec.js';

export interface HungRerunTask {
  scenarioRef: ScenarioRef;
  workloadSeed: number;
  steps: number;
  config: RunConfig;
  stopOn: StopClass;
  choices: SerializedChoices;
  /** The trace header's strategy: the explorer's member that ran it. */
  strategy: string;
  command: string;
}

/** What the re-run did when it did not hang (the execution is not what the board said, or its hang depends on time). */
export interface RerunEnd {
  steps: number;
  traceHash: string;
  fault: string | null;
}

export async function rerunHungExecution(task: HungRerunTask, onChunk: Parameters<typeof simulateInChunks>[1], cancelled: () => boolean): Promise<RerunEnd> {
  const scenario = await loadScenario(task.scenarioRef);
  // Not strict: the answers end where the thread hung, and nothing past them is asked before the hang.
  const choices = new ReplayChoices(ChoiceLog.deserialize(task.choices), false);
  const { result } = simulateInChunks({
    scenario, scenarioRef: task.scenarioRef, seed: task.workloadSeed, steps: task.steps, config: task.config, stopOn: task.stopOn,
    strategy: { name: task.strategy, choices }, command: task.command,
  }, onChunk, cancelled, 1);
  return { steps: result.steps, traceHash: result.traceHash, fault: result.fault?.message ?? null };
}
