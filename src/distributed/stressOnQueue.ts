/**
 * The stress command with `--queue`: the fleet run through Redis, its traces written here, one
 * report over all runs (JSON with --json), and the exit code as a local run's: 3 if a run
 * crashed (an actor failed), 1 if one broke a VMM invariant or was stopped by the user's code
 * that threw, 130 if interrupted before all came back, else 0.
 */
import type { StressFlags } from '../cli/commands/stress.js';
import { EXIT, UsageError } from '../cli/errors.js';
import { humanOut, printJson, writeTrace } from '../cli/io.js';
import { TraceFileSchema } from '../shared/trace.js';
import { defaultTracePath, newRunId } from '../shared/runId.js';
import { violationFound, type Machine } from '../cli/machineOptions.js';
import { emptyCounts, type Counts } from '../vmm/counters.js';
import { probeQueue } from './connection.js';
import type { StressRunResult } from './protocol.js';
import { runSeed, runStressFleet, traceText } from './stressFleet.js';
import { onStopSignal } from '../cli/interrupt.js';
import { isUserCodeFault } from '../cli/threadsReport.js';
import { actorFaultText } from '../actors/threads/protocol.js';
import { replayCommand } from '../shared/invocation.js';

interface RunRow {
  seed: number;
  worker: string;
  outcome: string;
  /** What ended a crashed run, as a local run's report says it: `STOPPED: <the user's code that threw>` or `CRASHED: actor ... failed: ...`. */
  stop: string | null;
  steps: number;
  eventsPerSec: number;
  invariantsOk: boolean;
  vmmBugs: number;
  deviceBugs: number;
  violations: { kind: string; severity: string; message: string }[];
  traceHash: string | null;
  trace: string | null;
  /** Why a run that needed its trace has none here (too large to ship through Redis). */
  traceWithheld: string | null;
  replay: string | null;
}

export async function stressOnQueue(flags: StressFlags, runs: number, machine: Machine): Promise<number> {
  if (flags.fault.length > 0) throw new UsageError('--fault does not apply with --queue (inject faults in a local run)');
  if (typeof flags.trace === 'string') throw new UsageError('--trace FILE does not apply with --queue: each violating run\'s trace is written as vmmsim-traces/stress-<scenario>-<seed>-<run id>.json');
  await probeQueue(flags.queue!);
  let interrupted = false;
  const onSigint = (): void => {
    interrupted = true;
  };
  const stopListening = onStopSignal(onSigint);
  const say = humanOut(flags.json ?? false);
  process.stderr.write(`vmmsim stress: ${runs} run(s), seeds ${runSeed(flags.seed, 0)}..${runSeed(flags.seed, runs - 1)}, on the workers of ${flags.queue!.display}\n`);
  // One id for this invocation names its traces, so a second fleet of the same seeds never overwrites them.
  const runId = newRunId();
  const traceOf = flags.trace === false ? null : (seed: number): string => defaultTracePath('stress', machine.scenario.name, seed, runId);
  // Each run is made a row (its trace written) as it comes back: only the rows are kept.
  const rows: RunRow[] = [];
  const counts = emptyCounts();
  let fleet;
  try {
    fleet = await runStressFleet({
      url: flags.queue!, runs, seed: flags.seed, scenario: machine.threadScenario, config: machine.config, durationMs: flags.duration, irqScale: flags.irqScale,
      cancelled: () => interrupted,
      onRun: (r, done) => {
        process.stderr.write(`vmmsim stress: ${done}/${runs}: seed ${r.seed} on ${r.worker}: ${r.report.outcome}, ${violationsOf(r.report).toLocaleString('en-US')} violation(s)\n`);
        rows.push(row(r, traceOf));
        addCounts(counts, r.report.counts);
      },
    });
  } finally {
    stopListening();
  }
  // In fleet order (seed = --seed + index), as they were queued.
  const place = (seed: number): number => (seed - flags.seed) >>> 0;
  rows.sort((a, b) => place(a.seed) - place(b.seed));
  const report = {
    command: 'stress', runId, queue: flags.queue!.display, fleet: fleet.fleet, runs, runsReported: rows.length, durationMsEach: flags.duration,
    workers: [...new Set(rows.map((r) => r.worker))],
    events: counts.calledNow + counts.dispatched, counts,
    violations: rows.flatMap((r) => r.violations.map((v) => ({ seed: r.seed, ...v, trace: r.trace, replay: r.replay }))),
    invariantsOk: rows.every((r) => r.invariantsOk), deviceBugs: rows.reduce((n, r) => n + r.deviceBugs, 0),
    // As a local run: the user's code that threw stopped the run (exit 1); an actor's failure crashed it (exit 3).
    stopped: rows.filter((r) => r.stop?.startsWith('STOPPED') === true).map((r) => r.seed),
    crashed: rows.filter((r) => r.outcome === 'crashed' && r.stop?.startsWith('STOPPED') !== true).map((r) => r.seed),
    interrupted: fleet.interrupted, perRun: rows,
  };
  if (flags.json) printJson(report);
  else {
    say(`vmmsim stress --queue: ${rows.length} of ${runs} run(s) of ${(flags.duration / 1000).toFixed(2)} s on ${report.workers.length} worker(s) (fleet ${fleet.fleet}, run ${runId})`);
    for (const r of rows) {
      say(`  seed ${r.seed} on ${r.worker}: ${r.outcome}, ${r.steps.toLocaleString('en-US')} steps, ${r.eventsPerSec.toLocaleString('en-US')} events/s, VMM invariants ${r.invariantsOk ? 'held' : 'BROKEN'}, device bugs ${r.deviceBugs.toLocaleString('en-US')}${r.replay !== null ? `; replay: ${r.replay}` : ''}`);
      if (r.stop !== null) say(`    ${r.stop}`);
      if (r.traceWithheld !== null) say(`    ${r.traceWithheld}`);
      const listed = r.violations.length < r.vmmBugs + r.deviceBugs ? ` (kinds of the first ${r.violations.length} listed)` : '';
      for (const [label, v] of byKind(r.violations)) say(`    ${label}${listed}: first: ${v.message}`);
    }
    const total = rows.reduce((n, r) => n + r.vmmBugs + r.deviceBugs, 0);
    // "All held" of the runs that came back, and said so: of none, nothing was checked.
    const held = rows.length === 0 ? 'no run came back, nothing was checked' : !report.invariantsOk ? 'BROKEN' : rows.length < runs ? `all held in the ${rows.length} run(s) back` : 'all held';
    say(`  ${rows.length < runs ? 'runs back' : 'all runs'}: ${report.events.toLocaleString('en-US')} events (called now + dispatched), ${total.toLocaleString('en-US')} violation(s); VMM invariants: ${held}`);
    if (fleet.interrupted) say('  INTERRUPTED: the runs not started were taken off the queue, the running ones finish there; the same command collects them and runs the rest');
  }
  if (report.crashed.length > 0) return EXIT.crash;
  if (fleet.interrupted) return EXIT.interrupted;
  return report.stopped.length > 0 || violationFound(report, flags.vmmOnly) ? EXIT.violation : EXIT.ok;
}

function row(r: StressRunResult, traceOf: ((seed: number) => string) | null): RunRow {
  const text = traceOf === null ? null : traceText(r);
  const path = text === null ? null : traceOf!(r.seed);
  // Shipped as the in-memory trace; written in the file format replay reads.
  if (path !== null) writeTrace(path, TraceFileSchema.parse(JSON.parse(text!)));
  const report = r.report;
  const fault = report.outcome === 'crashed' ? report.fault : null;
  const stop = fault === null ? null
    : isUserCodeFault(fault.error.name) ? `STOPPED: ${fault.error.message}` : `CRASHED: actor ${fault.actor} failed: ${actorFaultText(fault)}`;
  return {
    seed: r.seed, worker: r.worker, outcome: report.outcome, stop, steps: report.steps, eventsPerSec: report.threads.eventsPerSec,
    invariantsOk: report.invariantsOk, vmmBugs: report.vmmBugs, deviceBugs: report.deviceBugs,
    violations: report.violations.map(({ kind, severity, message }) => ({ kind, severity, message })),
    traceHash: report.traceHash, trace: path, replay: path === null ? null : replayCommand(path),
    traceWithheld: r.traceWithheld === undefined ? null
      : `its trace was not shipped: ${megabytes(r.traceWithheld.gzBytes)} gzipped, above the ${megabytes(r.traceWithheld.maxBytes)} a run's result may carry through Redis (a shorter --duration keeps it)`,
  };
}

function megabytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(1)} MB` : `${bytes.toLocaleString('en-US')} bytes`;
}

/** A run's violations, all of them (its report lists the first 100; workers run the coordinator's version). */
function violationsOf(report: StressRunResult['report']): number {
  return report.vmmBugs + report.deviceBugs;
}

function addCounts(total: Counts, more: Counts): void {
  for (const key of Object.keys(total) as (keyof Counts)[]) total[key] += more[key] ?? 0;
}

/** Violations grouped by kind ("device bug refillAfterStop x100"), each with its first one. */
function byKind(violations: RunRow['violations']): Map<string, RunRow['violations'][number]> {
  const counts = new Map<string, number>();
  const first = new Map<string, RunRow['violations'][number]>();
  for (const v of violations) {
    const kind = `${v.severity === 'vmm' ? 'VMM BUG' : 'device bug'} ${v.kind}`;
    counts.set(kind, (counts.get(kind) ?? 0) + 1);
    if (!first.has(kind)) first.set(kind, v);
  }
  return new Map([...first].map(([kind, v]) => [`${kind} x${counts.get(kind)}`, v]));
}
