/**
 * The invariant checker's own cost, apart from the core that feeds it: the history of one
 * simulated run (the default scenario, as `simSteps.ts` runs it) is recorded once, then fed to a
 * fresh InvariantChecker again and again. Reported in CPU time (`process.cpuUsage`), so other
 * processes on a shared machine change it less than wall time: nanoseconds per record, and
 * microseconds per construction (the explorer builds one checker per execution), and the
 * checker work of a short execution (its first SHORT_RUN records) on a new checker and on one
 * `reset` from the previous execution.
 *
 * Then the checker where it runs most: the records of the explorer's executions of the zoo's
 * stale-handle race (PCT, the campaign's step bound; one checker reset between executions, as
 * the explorer's machine kit does) and those of the threaded event path's scenario (the core
 * alone, as bench/threads/coreAlone.ts runs it). Few enough records that they stay in the
 * caches, as a record the core has just made does: the long history above does not, and its
 * figure is mostly the memory's.
 *
 *   node dist/bench/checker.js [steps=50000] [passes=20] [constructions=200000]
 */
import { zooEntry } from '../examples/zoo/index.js';
import { RunLoop } from '../src/actors/runLoop.js';
import { runSim } from '../src/actors/sim/simRun.js';
import { defaultStrategy } from '../src/actors/sim/simulate.js';
import { runExecution, strategySeed } from '../src/explore/execution.js';
import { THREAD_KIT } from '../src/explore/machineKit.js';
import { StrategyPool } from '../src/explore/strategyPool.js';
import { zooCampaign } from '../src/explore/zooRun.js';
import { defaultScenario } from '../src/scenario/default.js';
import type { HistoryRecord } from '../src/vmm/history.js';
import { InvariantChecker } from '../src/vmm/checker/checker.js';
import { kindOf } from '../src/vmm/recordKinds.js';
import { copyRecord } from '../src/vmm/recordRing.js';
import eventPathScenario from './scenarios/eventPath.js';
import { isEntryModule } from './transport/runDirectly.js';

export interface CheckerBenchResult {
  records: number;
  violations: number;
  nsPerRecord: number;
  usPerConstruction: number;
  /** CPU µs for the first SHORT_RUN records on a new checker, and on one reset instead. */
  usPerShortRun: number;
  usPerShortRunReset: number;
}

/** The checker on the records of one workload, in the caches, on one checker reset per execution. */
export interface CheckerWorkloadResult {
  records: number;
  /** Executions the records came from (1 for a single run). */
  executions: number;
  violations: number;
  nsPerRecord: number;
  /** CPU µs of checker work per execution (per run for a single run). */
  usPerExecution: number;
}

/** Records in a short execution (about 50 simulator steps). */
const SHORT_RUN = 200;

/** The records of one simulated run of `steps` client steps. */
export function recordHistory(steps: number, seed = 1): HistoryRecord[] {
  const scenario = defaultScenario(4, steps);
  const loop = new RunLoop({ scenario, seed, keepAll: true, choices: defaultStrategy(scenario, seed).choices });
  while (loop.steps < steps) loop.step();
  return loop.finish().all!;
}

function cpuUs(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** One pass: a fresh checker reads the whole history (each record with its kind number, as the core hands it) and finishes; returns its violations. */
function feed(records: readonly HistoryRecord[], kinds: Uint8Array): number {
  const checker = new InvariantChecker();
  for (let i = 0; i < records.length; i++) checker.read(records[i]!, kinds[i]!);
  checker.finish();
  return checker.violations.length;
}

/** CPU µs per short execution: a new (or reset) checker reads the history's first SHORT_RUN records. */
function shortRuns(records: readonly HistoryRecord[], kinds: Uint8Array, runs: number, reuse: boolean): number {
  let checker = new InvariantChecker();
  const n = Math.min(SHORT_RUN, records.length);
  const started = cpuUs();
  for (let i = 0; i < runs; i++) {
    if (reuse) checker.reset();
    else checker = new InvariantChecker();
    for (let j = 0; j < n; j++) checker.read(records[j]!, kinds[j]!);
  }
  return (cpuUs() - started) / runs;
}

export function measureChecker(steps: number, passes: number, constructions: number): CheckerBenchResult {
  const records = recordHistory(steps);
  const kinds = Uint8Array.from(records, kindOf);
  const violations = feed(records, kinds); // warm-up, and the verdict every pass must repeat
  let started = cpuUs();
  for (let p = 0; p < passes; p++) {
    if (feed(records, kinds) !== violations) throw new Error('the checker gave different verdicts on the same history');
  }
  const nsPerRecord = ((cpuUs() - started) * 1000) / (passes * records.length);
  let kept: InvariantChecker | null = null;
  started = cpuUs();
  for (let i = 0; i < constructions; i++) kept = new InvariantChecker();
  const usPerConstruction = (cpuUs() - started) / constructions;
  if (kept === null) throw new Error('no checker built');
  const runs = Math.max(1, Math.floor(constructions / 20));
  shortRuns(records, kinds, runs, false); // warm-up of both ways
  shortRuns(records, kinds, runs, true);
  const usPerShortRun = shortRuns(records, kinds, runs, false);
  const usPerShortRunReset = shortRuns(records, kinds, runs, true);
  return { records: records.length, violations, nsPerRecord, usPerConstruction, usPerShortRun, usPerShortRunReset };
}

/** Records of one run or execution, each with its kind number as the core hands it. */
interface Recorded {
  records: HistoryRecord[];
  kinds: number[];
}

/**
 * Keeps each record as a copy: the record the core hands a reader is its own, written again as
 * later records are made (recordRing.ts). Kept in place, a history held the last values of the
 * core's reused objects, and the checker was measured on records no run made (the stale-handle
 * race's 20 executions then read as 1,145 violations).
 */
function recorder(into: Recorded[]): (record: HistoryRecord, kind: number) => void {
  const run: Recorded = { records: [], kinds: [] };
  into.push(run);
  return (record, kind) => {
    run.records.push(copyRecord(record));
    run.kinds.push(kind);
  };
}

/** The records of the explorer's first `executions` executions of the zoo's stale-handle race (the campaign's PCT, its step bound). */
export function recordZooRace(executions: number): Recorded[] {
  const { scenario, spec } = zooCampaign(zooEntry('stale-handle')!, 'pct', false, 1);
  THREAD_KIT.prepare(scenario, spec.seed);
  const strategies = new StrategyPool();
  const runs: Recorded[] = [];
  for (let i = 0; i < executions; i++) {
    const choices = strategies.strategy(scenario, spec, i, 'pct');
    runExecution(scenario, spec, choices, i, strategySeed(spec.seed, i), 'pct', { onRecord: recorder(runs) }, THREAD_KIT);
  }
  return runs;
}

/** The records of the threaded event path's scenario run by the core alone for `steps` client steps (one event each). */
export function recordEventPath(steps: number): Recorded[] {
  const runs: Recorded[] = [];
  runSim({ scenario: eventPathScenario, seed: 1, steps, choices: defaultStrategy(eventPathScenario, 1).choices, config: { handleMode: 'checked', latitude: false }, onRecord: recorder(runs) });
  return runs;
}

/** CPU ns per record and µs per execution: one checker reads every execution, reset before each; the median of `rounds` rounds after one untimed. */
export function measureWorkload(runs: readonly Recorded[], rounds = 7): CheckerWorkloadResult {
  const checker = new InvariantChecker();
  const records = runs.reduce((n, run) => n + run.records.length, 0);
  const passes = Math.max(1, Math.ceil(1_000_000 / records));
  const pass = (): number => {
    let violations = 0;
    for (const run of runs) {
      checker.reset();
      const { records: rs, kinds } = run;
      for (let i = 0; i < rs.length; i++) checker.read(rs[i]!, kinds[i]!);
      checker.finish();
      violations += checker.violations.length;
    }
    return violations;
  };
  const violations = pass();
  for (let p = 0; p < passes; p++) pass(); // warm-up
  const nsPerRecord: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const started = cpuUs();
    for (let p = 0; p < passes; p++) pass();
    nsPerRecord.push(((cpuUs() - started) * 1000) / (passes * records));
  }
  const median = nsPerRecord.sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
  return { records, executions: runs.length, violations, nsPerRecord: median, usPerExecution: (median * records) / runs.length / 1000 };
}

if (isEntryModule(import.meta.url)) {
  const [steps, passes, constructions] = [50_000, 20, 200_000].map((d, i) => Number(process.argv[2 + i] ?? d)) as [number, number, number];
  const r = measureChecker(steps, passes, constructions);
  process.stdout.write(
    `${r.records} records (${r.violations} violations): ${r.nsPerRecord.toFixed(1)} ns CPU per record, ${r.usPerConstruction.toFixed(2)} µs CPU per construction; ` +
      `a short run (${SHORT_RUN} records) ${r.usPerShortRun.toFixed(2)} µs on a new checker, ${r.usPerShortRunReset.toFixed(2)} µs on a reset one\n`,
  );
  const zoo = measureWorkload(recordZooRace(20));
  process.stdout.write(
    `stale-handle race: ${zoo.executions} executions, ${(zoo.records / zoo.executions).toFixed(0)} records each (${zoo.violations} violations): ` +
      `${zoo.nsPerRecord.toFixed(1)} ns CPU per record, ${zoo.usPerExecution.toFixed(2)} µs per execution\n`,
  );
  const eventPath = measureWorkload(recordEventPath(2000));
  process.stdout.write(
    `event path: ${eventPath.records} records of 2000 events: ${eventPath.nsPerRecord.toFixed(1)} ns CPU per record, ${((eventPath.nsPerRecord * eventPath.records) / 2000).toFixed(0)} ns per event\n`,
  );
}
