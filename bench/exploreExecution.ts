/**
 * What one explorer execution costs, by its step bound, on the machine the thread's kit restarts
 * (as every campaign runs them): CPU time per execution (this process, user + system), the
 * median of the rounds after a warm-up. At 0 steps an execution is only its fixed part (the
 * machine made ready and booted, finished with its shutdown messages, the strategy, the
 * summary); at the zoo race's campaign bound (40) most executions end at their first violation,
 * ~25 steps in. Executions on a machine built for each one (no kit) are a different program for
 * the compiler (a new record sink per machine), so they are not timed in the same process.
 *
 *   node dist/bench/exploreExecution.js [zoo entry = stale-handle] [executions per round = 10000] [rounds = 5]
 */
import { zooEntry } from '../examples/zoo/index.js';
import { runExecution, strategySeed } from '../src/explore/execution.js';
import { THREAD_KIT } from '../src/explore/machineKit.js';
import type { CampaignSpec } from '../src/explore/spec.js';
import { StrategyPool } from '../src/explore/strategyPool.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import type { Scenario } from '../src/scenario/scenario.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface ExecutionCostRow {
  stepBound: number;
  /** Steps an execution took, on average (a violation ends it early). */
  stepsTaken: number;
  cpuUsPerExecution: number;
}

const STEP_BOUNDS = [0, 1, 5, 40] as const;

/** CPU µs per execution of iterations [from, from + count), and the steps they took on average. */
function timeExecutions(scenario: Scenario, spec: CampaignSpec, from: number, count: number): { us: number; steps: number } {
  THREAD_KIT.prepare(scenario, spec.seed);
  // As a campaign range runs them: one strategy restarted per execution.
  const strategies = new StrategyPool();
  let steps = 0;
  const before = process.cpuUsage();
  for (let i = from; i < from + count; i++) {
    steps += runExecution(scenario, spec, strategies.strategy(scenario, spec, i, 'pct'), i, strategySeed(spec.seed, i), 'pct', {}, THREAD_KIT).steps;
  }
  const cpu = process.cpuUsage(before);
  return { us: (cpu.user + cpu.system) / count, steps: steps / count };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function measureExecutionCost(name: string, perRound: number, rounds: number): ExecutionCostRow[] {
  const entry = zooEntry(name);
  if (entry === undefined) throw new Error(`no zoo entry ${name}`);
  const { scenario, spec: campaign } = zooCampaign(entry, 'pct', false, 1);
  const specs = STEP_BOUNDS.map((steps) => ({ ...campaign, steps, keepGoing: true }));
  // Warm-up: every bound once, then the measured rounds.
  for (const spec of specs) timeExecutions(scenario, spec, 0, perRound);
  return specs.map((spec) => {
    const us: number[] = [];
    let steps = 0;
    for (let round = 0; round < rounds; round++) {
      const timed = timeExecutions(scenario, spec, (round + 1) * perRound, perRound);
      us.push(timed.us);
      steps = timed.steps;
    }
    return { stepBound: spec.steps, stepsTaken: Math.round(steps * 10) / 10, cpuUsPerExecution: Math.round(median(us) * 100) / 100 };
  });
}

runIfEntry(import.meta.url, async () => {
  const [name = 'stale-handle', perRound = '10000', rounds = '5'] = process.argv.slice(2);
  return measureExecutionCost(name, Number(perRound), Number(rounds));
});
