/**
 * The explorer's speed: executions per second of a campaign (strategy, invariant checking,
 * coverage and choice recording on, as in `vmmsim explore`), on one thread or a worker pool.
 * It keeps going past violations, so every campaign runs all its iterations.
 *
 *   node dist/bench/explore.js [default|<zoo name>] [iterations] [workers] [strategy] [steps]
 *
 * `steps` 0 times what an execution costs besides its steps (machine, strategy, summary): the
 * fixed cost per execution.
 */
import { performance } from 'node:perf_hooks';
import { zooEntry } from '../examples/zoo/index.js';
import { campaignSpec, explore } from '../src/explore/explore.js';
import type { StrategyName } from '../src/explore/spec.js';
import { usefulWorkers } from '../src/explore/usefulWorkers.js';
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioRef } from '../src/shared/trace.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface ExploreBenchOptions {
  /** 'default' (the built-in machine) or a zoo entry's name (its buggy scenario). */
  scenario: string;
  iterations: number;
  workers: number;
  strategy?: StrategyName;
  /** Client steps per execution; default the scenario's (200 for the built-in machine). */
  steps?: number;
  seed?: number;
}

export interface ExploreBenchResult {
  scenario: string;
  strategy: StrategyName;
  workers: number;
  steps: number;
  executions: number;
  elapsedMs: number;
  execsPerSec: number;
  stepsPerSec: number;
  /** CPU time of the whole process (every thread), user + system: what the campaign cost, whatever the machine's load. */
  cpuMs: number;
  /** The same two, unrounded (a short campaign's figure). */
  wallMs: number;
  cpuUs: number;
}

export async function measureExplore(options: ExploreBenchOptions): Promise<ExploreBenchResult> {
  const strategy = options.strategy ?? 'pct';
  const ref: ScenarioRef = options.scenario === 'default'
    ? { kind: 'builtin', name: 'default', vms: 4, steps: options.steps ?? 200 }
    : { kind: 'zoo', name: options.scenario, fixed: false };
  if (ref.kind === 'zoo' && zooEntry(ref.name) === undefined) throw new Error(`no zoo entry ${ref.name}`);
  const scenario = await loadScenario(ref);
  const spec = campaignSpec({
    scenario, scenarioRef: ref, strategy, seed: options.seed ?? 1, iterations: options.iterations,
    ...(options.steps !== undefined ? { steps: options.steps } : {}), keepGoing: true,
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const outcome = await explore(scenario, spec, { workers: options.workers, shrink: false });
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const executions = outcome.campaign.executions;
  return {
    // The threads that ran it: a campaign of fewer chunks than --workers starts fewer.
    scenario: options.scenario, strategy, workers: usefulWorkers(spec, options.workers), steps: spec.steps, executions, elapsedMs: Math.round(elapsedMs),
    execsPerSec: Math.round((executions * 1000) / elapsedMs), stepsPerSec: Math.round((executions * spec.steps * 1000) / elapsedMs),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000), wallMs: elapsedMs, cpuUs: cpu.user + cpu.system,
  };
}

runIfEntry(import.meta.url, async () => {
  const [scenario = 'default', iterations = '500', workers = '1', strategy = 'pct', steps] = process.argv.slice(2);
  const options = {
    scenario, iterations: Number(iterations), workers: Number(workers), strategy: strategy as StrategyName,
    ...(steps !== undefined ? { steps: Number(steps) } : {}),
  };
  await measureExplore({ ...options, iterations: Math.min(50, options.iterations) }); // warm-up
  return measureExplore(options);
});
