/**
 * What the explorer adds to the simulator, on the same executions. A zoo race (default: the
 * peer's `stale-handle`) is run, in one process and alternated round by round:
 *   explorer: the campaign's executions (PCT, the choice log, coverage, the machine kit), as
 *             `vmmsim explore` runs them, going on past violations;
 *   plain:    the same executions as bare simulator runs: the same strategy from the same seed,
 *             so the same steps and records (their trace hashes are checked equal), with no
 *             choice log, coverage or kit;
 *   onKit:    the bare runs on a machine kit (reused parts, the workload tape): the explorer
 *             minus what it reads of a run (choice log, coverage, the strategy's observation);
 *   long:     one run of the built-in default scenario, the simulator bench's (bench/simSteps.ts).
 * CPU time (this process, user + system), steady state (the first rounds are the warm-up, not
 * reported). Per step and per history record: a race's steps are interrupt-dense (PCT raises
 * its IRQs inside a 25-40 step window), so one of its steps makes ~2.7× the records of a step of
 * the default scenario; per record is the comparable unit.
 *
 *   node dist/bench/exploreOverhead.js [zoo entry = stale-handle] [executions per round = 5000] [rounds = 5]
 */
import { zooEntry } from '../examples/zoo/index.js';
import { defaultStrategy } from '../src/actors/sim/simulate.js';
import { runSim } from '../src/actors/sim/simRun.js';
import { seededStrategy } from '../src/explore/execution.js';
import { iterate } from '../src/explore/iterations.js';
import { MachineKit } from '../src/explore/machineKit.js';
import type { CampaignSpec } from '../src/explore/spec.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import { defaultScenario } from '../src/scenario/default.js';
import type { Scenario } from '../src/scenario/scenario.js';
import { repeated } from './stats.js';
import { runIfEntry } from './transport/runDirectly.js';

export interface CostPerUnit {
  usPerExecution: number;
  nsPerStep: number;
  nsPerRecord: number;
  recordsPerStep: number;
}

export interface ExploreOverheadResult {
  race: string;
  executionsPerRound: number;
  rounds: number;
  explorer: CostPerUnit;
  plain: CostPerUnit;
  onKit: CostPerUnit;
  /** The default scenario's long run (per execution: per 40 steps, for scale). */
  long: CostPerUnit;
  /** explorer over plain, per step of the same executions: what exploring costs on top of simulating. */
  explorerOverPlain: number;
  /** explorer over onKit: what reading the runs (choice log, coverage, the strategy's observation) costs. */
  explorerOverOnKit: number;
  /** explorer per record over the long run's per record. */
  explorerOverLongPerRecord: number;
}

function cpuUs(): number {
  const c = process.cpuUsage();
  return c.user + c.system;
}

interface Sample {
  us: number;
  executions: number;
  steps: number;
  records: number;
}

function explorerRound(scenario: Scenario, spec: CampaignSpec, executions: number, recordsOf: Map<number, number>): Sample {
  let steps = 0;
  let records = 0;
  const started = cpuUs();
  for (const summary of iterate(scenario, spec, 0, executions)) {
    steps += summary.steps;
    records += recordsOf.get(summary.iteration)!;
  }
  return { us: cpuUs() - started, executions, steps, records };
}

/** The same executions without the explorer; `check`: the explorer's trace hashes, held equal. */
function plainRound(scenario: Scenario, spec: CampaignSpec, executions: number, check: Map<number, string> | null, recordsOf: Map<number, number>): Sample {
  let steps = 0;
  let records = 0;
  const started = cpuUs();
  for (let i = 0; i < executions; i++) {
    const result = runSim({
      scenario, seed: spec.seed, steps: spec.steps, choices: seededStrategy(scenario, spec, i, 'pct'), config: spec.config, stopOn: spec.stopOn, tailRecords: 1,
    });
    steps += result.steps;
    records += result.records;
    recordsOf.set(i, result.records);
    if (check !== null && check.get(i) !== result.traceHash) throw new Error(`execution ${i}: the plain run is not the explorer's (trace hash differs)`);
  }
  return { us: cpuUs() - started, executions, steps, records };
}

function onKitRound(scenario: Scenario, spec: CampaignSpec, executions: number, recordsOf: Map<number, number>): Sample {
  let steps = 0;
  let records = 0;
  const kit = new MachineKit();
  const started = cpuUs();
  for (let i = 0; i < executions; i++) {
    const choices = seededStrategy(scenario, spec, i, 'pct');
    const result = kit.lend(scenario, spec.seed, ({ reused, ops }) => runSim({
      scenario, seed: spec.seed, steps: spec.steps, choices, config: spec.config, stopOn: spec.stopOn, tailRecords: 1, reused, ops,
    }));
    steps += result.steps;
    records += recordsOf.get(i)!;
  }
  return { us: cpuUs() - started, executions, steps, records };
}

function longRound(steps: number, seed: number): Sample {
  const scenario = defaultScenario(4, steps);
  const started = cpuUs();
  const result = runSim({ scenario, seed, steps, choices: defaultStrategy(scenario, seed).choices });
  return { us: cpuUs() - started, executions: steps / 40, steps: result.steps, records: result.records };
}

const median = (values: number[]): number => repeated(values).median;

function perUnit(samples: Sample[]): CostPerUnit {
  const round = (x: number, digits: number): number => Math.round(x * 10 ** digits) / 10 ** digits;
  return {
    usPerExecution: round(median(samples.map((s) => s.us / s.executions)), 1),
    nsPerStep: Math.round(median(samples.map((s) => (1000 * s.us) / s.steps))),
    nsPerRecord: Math.round(median(samples.map((s) => (1000 * s.us) / s.records))),
    recordsPerStep: round(samples[0]!.records / samples[0]!.steps, 2),
  };
}

export function measureExploreOverhead(options: { race?: string; executions?: number; rounds?: number } = {}): ExploreOverheadResult {
  const race = options.race ?? 'stale-handle';
  const executions = options.executions ?? 5000;
  const rounds = options.rounds ?? 5;
  const entry = zooEntry(race);
  if (entry === undefined) throw new Error(`the zoo has no ${race}`);
  const { scenario, spec: hunting } = zooCampaign(entry, 'pct', false, 1);
  const spec: CampaignSpec = { ...hunting, keepGoing: true, iterations: executions };
  // The explorer's trace hashes and each execution's record count, once, untimed.
  const hashes = new Map<number, string>();
  for (const summary of iterate(scenario, spec, 0, executions)) hashes.set(summary.iteration, summary.traceHash);
  const recordsOf = new Map<number, number>();
  plainRound(scenario, spec, executions, hashes, recordsOf);
  const warmUpRounds = 2;
  const samples = { explorer: [] as Sample[], plain: [] as Sample[], onKit: [] as Sample[], long: [] as Sample[] };
  for (let r = 0; r < warmUpRounds + rounds; r++) {
    const explorer = explorerRound(scenario, spec, executions, recordsOf);
    const plain = plainRound(scenario, spec, executions, null, recordsOf);
    const onKit = onKitRound(scenario, spec, executions, recordsOf);
    const long = longRound(executions * 40, r + 1);
    if (r < warmUpRounds) continue;
    samples.explorer.push(explorer);
    samples.plain.push(plain);
    samples.onKit.push(onKit);
    samples.long.push(long);
  }
  const explorer = perUnit(samples.explorer);
  const plain = perUnit(samples.plain);
  const onKit = perUnit(samples.onKit);
  const long = perUnit(samples.long);
  return {
    race, executionsPerRound: executions, rounds, explorer, plain, onKit, long,
    explorerOverPlain: Math.round((100 * explorer.nsPerStep) / plain.nsPerStep) / 100,
    explorerOverOnKit: Math.round((100 * explorer.nsPerStep) / onKit.nsPerStep) / 100,
    explorerOverLongPerRecord: Math.round((100 * explorer.nsPerRecord) / long.nsPerRecord) / 100,
  };
}

runIfEntry(import.meta.url, async () => {
  const [race, executions, rounds] = process.argv.slice(2);
  return measureExploreOverhead({
    ...(race !== undefined ? { race } : {}), ...(executions !== undefined ? { executions: Number(executions) } : {}),
    ...(rounds !== undefined ? { rounds: Number(rounds) } : {}),
  });
});
