/**
 * After the watchdog ended an exploration (device code that never returned, on the command's
 * thread or a pool's), or the service-call budget did (a runaway, on the command's thread): say
 * which execution hung, then re-run it from what its thread's execution
 * board kept (explore/executionBoard.ts) on a watched worker. It hangs again at the same point,
 * and the watchdog that ends it leaves the trace up to its last chunk, which `vmmsim replay`
 * reads as any run the watchdog ended ("the recorded run then hung"). Exit 3 either way: the
 * hang is a runtime failure; the trace is what there is to show of it. A hang after the campaign
 * found a violation (shrinking it) leaves that finding's trace as found: exit 1, with it.
 */
import { rmSync } from 'node:fs';
import type { HungExecution } from '../explore/executionBoard.js';
import type { HungRerunTask } from '../explore/hungRerun.js';
import type { StopClass } from '../explore/spec.js';
import type { RunConfig, ScenarioRef } from '../shared/trace.js';
import { EXIT } from './errors.js';
import { printJson } from './io.js';
import type { ExecutionHung } from './runFaultReport.js';
import { runWatched } from './watched.js';
import { DEVICE_STATES_READ_TEXT } from '../actors/ring0Watchdog.js';
import { replayCommand } from '../shared/invocation.js';
import { readTraceFile } from '../shared/traceFile.js';
import { RERUN_RAN_AWAY } from './commands/hungRerun.js';
import { isRunawayMessage } from '../vmm/ring0Watch.js';
import { oneLine } from '../shared/oneLine.js';

export interface HungContext {
  scenarioRef: ScenarioRef;
  config: RunConfig;
  steps: number;
  stopOn: StopClass;
  /** Where the trace goes. */
  path: string;
  command: string;
  runId: string;
  json: boolean;
  /** The campaign's watchdog bound: the re-run hangs against the same one. */
  watchdogMs: number;
  /** Where the campaign writes its finding's trace: as found, before the shrink (exploreTask.ts). */
  findingPath?: string;
}

export interface HungReport {
  message: string;
  execution: Omit<HungExecution, 'choices'> | null;
  trace: string | null;
  /** Up to which step the trace goes. */
  steps: number | null;
  replay: string | null;
  /** Why there is no trace (null: there is one). */
  noTrace: string | null;
  /** The hang came after the campaign found a violation, while it shrank or checked it: `trace` is that finding's, as found. */
  afterFinding?: boolean;
  /** With afterFinding: the violation (or throw) that trace ends in. */
  violation?: { kind: string; severity: string; message: string };
}

export async function reportHungExecution(error: ExecutionHung, ctx: HungContext): Promise<number> {
  const say = (line: string): void => void process.stderr.write(`vmmsim: ${line}\n`);
  say(error.message);
  const found = error.execution;
  let report: HungReport;
  if (error.message.includes(DEVICE_STATES_READ_TEXT)) {
    // A replayed run reads no state for snapshots or digests: it would not hang there.
    const noTrace = "no trace: the hang was in stateful dfs's read of the device states (its snapshots and digests), which a replayed run does not make; --stateless explores without it";
    say(noTrace);
    report = { message: error.message, execution: found === null ? null : describe(found), trace: null, steps: null, replay: null, noTrace };
  } else if (found === null && ctx.findingPath !== undefined && findingOf(ctx.findingPath) !== null) {
    // Not an execution of the campaign: a shrink candidate (ops or IRQs removed) or the fresh
    // replay of the shrunk trace. The finding's trace as found was written before (exploreTask.ts).
    const trace = ctx.findingPath;
    const finding = findingOf(trace)!;
    say(`the hang came after the campaign found a violation, while its trace was shrunk or checked (a candidate run with ops or IRQs removed can meet a loop the found run did not)`);
    say(`FOUND ${finding.severity === 'vmm' ? 'VMM BUG' : 'device bug'} ${finding.kind}: ${oneLine(finding.message)}`);
    say(`its trace as found, not shrunk: ${trace} (${replayCommand(trace)})`);
    report = { message: error.message, execution: null, trace, steps: finding.steps, replay: replayCommand(trace), noTrace: null, afterFinding: true, violation: { kind: finding.kind, severity: finding.severity, message: finding.message } };
    if (ctx.json) printJson({ runId: ctx.runId, hung: report });
    return EXIT.violation;
  } else if (found === null || found.choices === null) {
    const noTrace = found === null
      ? 'no trace: the hang came outside an execution of the campaign (PCT\'s estimate of its choice points); `vmmsim run --runtime sim` of the scenario writes the trace of a run up to a hang'
      : `no trace: execution ${found.iteration + 1} (${found.member}) on the workload of seed ${found.workloadSeed} hung, but its answers outgrew its board`;
    say(noTrace);
    report = { message: error.message, execution: found === null ? null : describe(found), trace: null, steps: null, replay: null, noTrace };
  } else {
    const what = isRunawayMessage(error.message) ? 'ran away' : 'hung';
    say(`execution ${found.iteration + 1} (${found.member}) on the workload of seed ${found.workloadSeed} ${what}; re-running it to write its trace`);
    report = { message: error.message, execution: describe(found), ...(await rerun(found, ctx, error.message)) };
    say(report.trace !== null ? `trace up to step ${report.steps} in ${report.trace} (${report.replay})` : report.noTrace!);
  }
  if (ctx.json) printJson({ runId: ctx.runId, hung: report });
  return EXIT.crash;
}

function describe({ choices: _choices, ...execution }: HungExecution): Omit<HungExecution, 'choices'> {
  return execution;
}

async function rerun(found: HungExecution, ctx: HungContext, message: string): Promise<Pick<HungReport, 'trace' | 'steps' | 'replay' | 'noTrace'>> {
  const task: HungRerunTask = {
    scenarioRef: ctx.scenarioRef, workloadSeed: found.workloadSeed, steps: ctx.steps, config: ctx.config, stopOn: ctx.stopOn,
    choices: found.choices!, strategy: found.member, command: ctx.command,
  };
  const meta = { scenario: () => ctx.scenarioRef, seed: found.workloadSeed, config: ctx.config, command: ctx.command, runtime: 'sim' as const, strategy: found.member };
  let hung = false;
  let written: { path: string; steps: number } | null = null;
  let code: number;
  try {
    code = await runWatched('hung-rerun', [task, isRunawayMessage(message) ? message : null], {
      trace: { path: ctx.path, meta },
      ring0TimeoutMs: ctx.watchdogMs,
      reportHang: (_message, trace) => {
        hung = true;
        written = trace;
      },
    });
  } catch (error) {
    rmSync(ctx.path, { force: true });
    return { trace: null, steps: null, replay: null, noTrace: `no trace: its re-run failed: ${(error as Error).message.split('\n')[0]}` };
  }
  // A runaway runs away again at the same call (the budget counts calls): its trace goes up to it.
  if (isRunawayMessage(message) && code === RERUN_RAN_AWAY) {
    const steps = writtenSteps(ctx.path);
    if (steps !== null) return { trace: ctx.path, steps, replay: replayCommand(ctx.path), noTrace: null };
  }
  const trace = written as { path: string; steps: number } | null;
  if (hung && trace !== null) return { trace: trace.path, steps: trace.steps, replay: replayCommand(trace.path), noTrace: null };
  // A trace of a run that did not hang is not the trace of this hang.
  rmSync(ctx.path, { force: true });
  return { trace: null, steps: null, replay: null, noTrace: hung ? 'no trace: the re-run hung again before it had recorded a step (at boot, or in its first step)' : 'no trace: the re-run did not hang (device code whose hang depends on more than the execution\'s answers?)' };
}

/** What the trace at `path` ends in (its violation, or the throw of user code), or null when there is none to read. */
function findingOf(path: string): { kind: string; severity: string; message: string; steps: number } | null {
  try {
    const { steps, expect } = readTraceFile(path);
    const ends = expect.fault !== undefined && expect.fault !== null ? { ...expect.fault, severity: 'device' } : expect.firstViolation;
    return ends === null ? null : { kind: ends.kind, severity: ends.severity, message: ends.message, steps };
  } catch {
    return null;
  }
}

/** The steps of the trace at `path`, or null when there is none to read. */
function writtenSteps(path: string): number | null {
  try {
    return readTraceFile(path).steps;
  } catch {
    return null;
  }
}
