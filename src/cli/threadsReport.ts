/**
 * The report of a threaded run (`run --runtime threads`, `stress`): the same fields as a
 * simulated run's report, plus how it ended (completed, interrupted, crashed: which actor,
 * which error), the wall-clock duration and the thread figures. eventsPerSec is
 * (calledNow + dispatched) / durationS: every Call_XX_Event callback the VMM ran, inline or
 * from a queue, per second of the VMM actor's loop.
 */
import type { ThreadRunResult } from '../actors/threads/orchestrator.js';
import { actorFaultText } from '../actors/threads/protocol.js';
import type { RunConfig } from '../shared/trace.js';
import { CORE_WRAPPED_USER_ERRORS, SCENARIO_CODE_ERROR } from '../shared/scenarioCodeFailure.js';
import { emptyCounts } from '../vmm/counters.js';
import { formatCounts, formatVerdict, formatViolation, type RunStop } from './format.js';
import { faultWhat } from './runFaultReport.js';
import { stopSignal } from './interrupt.js';
import { replayCommand } from '../shared/invocation.js';

export interface ThreadReportContext {
  command: 'run' | 'stress';
  runId: string;
  seed: number;
  config: RunConfig;
  tracePath: string | null;
  faults: string[];
}

export function threadsReport(result: ThreadRunResult, context: ThreadReportContext) {
  const last = result.last;
  const wroteTrace = context.tracePath !== null && (result.trace !== null || result.traceFile !== null);
  return {
    runId: context.runId,
    runtime: 'threads' as const,
    command: context.command,
    outcome: result.outcome,
    fault: result.fault,
    seed: context.seed,
    vms: result.scenario.vms,
    scenario: result.scenario.name,
    config: context.config,
    durationS: round3(result.ran.elapsedUs / 1e6),
    steps: result.ran.steps,
    /**
     * Null when the counts below cover the whole run; else the steps and seconds they cover: the
     * VMM's last chunk, when it failed between two (it sends one every 100 ms).
     */
    countsCover: result.ran.steps > (last?.steps ?? 0) ? { steps: last?.steps ?? 0, durationS: round3(result.durationS) } : null,
    ticks: last?.ticks ?? 0,
    counts: last?.counts ?? emptyCounts(),
    pendingEvents: last?.pendingEvents ?? 0,
    violations: result.violations.map(({ kind, severity, message, device, seq, ticks }) => ({ kind, severity, message, device, seq, ticks })),
    invariantsOk: last?.invariantsOk ?? true,
    /** Every violation of the run by severity (`violations` lists the first 100). */
    vmmBugs: last?.vmmBugs ?? 0,
    deviceBugs: last?.deviceBugs ?? 0,
    /** No bugs (a blocked callback's restart repeating calls): the first 100. */
    warnings: result.warnings.map(({ kind, message, seq, ticks }) => ({ kind, message, seq, ticks })),
    traceHash: last?.traceHash ?? null,
    trace: wroteTrace ? context.tracePath : null,
    /** Steps the trace covers: all of them, unless the run crashed (up to its last chunk) or the trace reached its caps. */
    traceSteps: result.traceFile?.steps ?? result.trace?.steps ?? 0,
    replay: wroteTrace ? replayCommand(context.tracePath!) : null,
    /** Why a trace that was asked for was not written (a run that failed before the VMM sent its first part of it). */
    noTrace: context.tracePath !== null && !wroteTrace && result.fault !== null ? 'the run failed before the VMM sent the first part of its trace (while it started: loading, booting the machine)' : null,
    faultsInjected: context.faults,
    threads: {
      workers: result.workers,
      eventsPerSec: result.eventsPerSec,
      stepsPerSec: result.stepsPerSec,
      workersRunning: result.workersRunning,
      queue: result.queue,
      vmActors: result.vms,
      irqRaises: result.pic?.raises ?? null,
    },
    memory: { rssMbMax: result.rssMbMax },
  };
}

export type ThreadsReport = ReturnType<typeof threadsReport>;

/** Faults of the user's code (a finding, exit 1) rather than of the runtime (exit 3). */
const USER_CODE_FAULTS: ReadonlySet<string> = new Set([...CORE_WRAPPED_USER_ERRORS, SCENARIO_CODE_ERROR]);

export function isUserCodeFault(errorName: string): boolean {
  return USER_CODE_FAULTS.has(errorName);
}

/** What ended a threaded run early, for its verdict line: user code that threw, or an actor that failed. */
function stopOf(report: ThreadsReport): RunStop | null {
  if (report.outcome !== 'crashed' || report.fault === null) return null;
  const { error, actor } = report.fault;
  if (!isUserCodeFault(error.name)) return { label: 'CRASHED', what: `the failure of actor ${actor}` };
  if (error.name === SCENARIO_CODE_ERROR) return { label: 'STOPPED', what: 'the scenario code that threw' };
  return { label: 'STOPPED', what: faultWhat({ kind: error.name === 'InvariantError' ? 'invariantThrew' : 'deviceThrew' }) };
}

export function formatThreadsReport(report: ThreadsReport): string[] {
  const lines = [
    `vmmsim ${report.command} ${report.runId}: scenario ${report.scenario}, ${report.vms} VMs, seed ${report.seed}, runtime threads (${report.threads.workers} workers), ` +
      `${report.durationS.toFixed(2)} s, ${report.steps.toLocaleString('en-US')} steps`,
  ];
  if (report.outcome === 'crashed' && report.fault !== null) {
    // The user's code that threw stopped the run (as the simulator says it); the runtime did not crash.
    lines.push(isUserCodeFault(report.fault.error.name) ? `  STOPPED: ${report.fault.error.message}`
      : `  CRASHED: actor ${report.fault.actor} failed: ${actorFaultText(report.fault)}`);
  } else if (report.outcome === 'interrupted') {
    lines.push(`  INTERRUPTED: stopped by ${stopSignal()}; this report covers the run so far`);
  }
  const cover = report.countsCover;
  if (cover !== null) {
    lines.push(`  the figures below are of the first ${cover.steps.toLocaleString('en-US')} steps (${cover.durationS.toFixed(2)} s): the VMM sends them every 100 ms, and it failed before it sent the rest`);
  }
  lines.push(...formatCounts(report.counts));
  lines.push(`  events/s ${report.threads.eventsPerSec.toLocaleString('en-US')} (called now + dispatched over ${(cover?.durationS ?? report.durationS).toFixed(2)} s); ` +
    `steps/s ${report.threads.stepsPerSec.toLocaleString('en-US')}; pending at the end ${report.pendingEvents}`);
  lines.push(formatVerdict(report.invariantsOk, report.deviceBugs, stopOf(report)));
  for (const v of report.violations.slice(0, 10)) lines.push(`  ${formatViolation(v)}`);
  for (const w of report.warnings.slice(0, 10)) lines.push(`  warning: ${w.message}`);
  if (report.traceHash !== null) lines.push(`  trace hash ${report.traceHash}`);
  if (report.trace !== null) {
    const partial = report.traceSteps < report.steps ? ` (its first ${report.traceSteps.toLocaleString('en-US')} steps)` : '';
    lines.push(`  trace written to ${report.trace}${partial}; replay: ${report.replay}`);
  } else if (report.noTrace !== null) {
    lines.push(`  no trace: ${report.noTrace}`);
  }
  return lines;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}
