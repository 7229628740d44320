/**
 * The invariant checker's own cost, apart from the core that feeds it: the history of one
 * simulated run (the default scenario, as `simSteps.ts` runs it) is recorded once, then fed to a
 * fresh InvariantChecker again and again. Reported in CPU time (`process.cpuUsage`), so other
 * processes on a shared machine change it less than wall time: nanoseconds per record, and
 * microseconds per construction (the explorer builds one checker per execution), and the
 * checker work of a short execution (its first SHORT_RUN records) on a new checker and on one
 * `reset` from the previous execution.
 *
 *   node dist/bench/checker.js [steps=50000] [passes=20] [constructions=200000]
 */
import { RunLoop } from '../src/actors/runLoop.js';
import { defaultStrategy } from '../src/actors/sim/simulate.js';
import { defaultScenario } from '../src/scenario/default.js';
import type { HistoryRecord } from '../src/vmm/history.js';
import { InvariantChecker } from '../src/vmm/checker/checker.js';
import { kindOf } from '../src/vmm/recordKinds.js';

export interface CheckerBenchResult {
  records: number;
  violations: number;
  nsPerRecord: number;
  usPerConstruction: number;
  /** CPU µs for the first SHORT_RUN records on a new checker, and on one reset instead. */
  usPerShortRun: number;
  usPerShortRunReset: number;
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const [steps, passes, constructions] = [50_000, 20, 200_000].map((d, i) => Number(process.argv[2 + i] ?? d)) as [number, number, number];
  const r = measureChecker(steps, passes, constructions);
  process.stdout.write(
    `${r.records} records (${r.violations} violations): ${r.nsPerRecord.toFixed(1)} ns CPU per record, ${r.usPerConstruction.toFixed(2)} µs CPU per construction; ` +
      `a short run (${SHORT_RUN} records) ${r.usPerShortRun.toFixed(2)} µs on a new checker, ${r.usPerShortRunReset.toFixed(2)} µs on a reset one\n`,
  );
}
