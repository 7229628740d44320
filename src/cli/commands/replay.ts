/**
 * `vmmsim replay <trace>`: reproduces a recorded run (simulated or threaded) in the simulated
 * runtime, checks it took the same decisions, and shows the violation with what led to it. The
 * trace streams from disk: its length does not bound what can be replayed.
 */
import { firstSought } from '../../explore/soughtViolation.js';
import { replayTraceFile, workloadOf } from '../../actors/sim/replay.js';
import { loadScenario } from '../../scenario/load.js';
import type { TraceFile } from '../../shared/trace.js';
import { readTraceFile, scanTrace, TraceFormatError } from '../../shared/traceFile.js';
import { HistoryRing } from '../../vmm/history.js';
import { EXIT, UsageError } from '../errors.js';
import { formatRecord, formatViolation } from '../format.js';
import { humanOut, printJson } from '../io.js';
import { faultExit } from '../runFaultReport.js';
import { interrupted, stopSignal } from '../interrupt.js';
import { scenarioOfTrace } from '../traceScenario.js';
import { oneLine } from '../../shared/oneLine.js';
import { renderCommand } from '../../shared/invocation.js';

/** A whole trace in memory (for drawing), or one line and exit 2. */
export function readTrace(path: string): TraceFile {
  try {
    return readTraceFile(path);
  } catch (error) {
    if (error instanceof TraceFormatError) throw new UsageError(error.message);
    throw error;
  }
}

/**
 * The header and end of a trace, every line checked on the way (bounded memory), or one line
 * and exit 2. A shrunk trace's workload (small: the ops a bug needs) is decoded here too: a
 * malformed one is bad input, as `shrink` says, not a divergence of the replay (an outside
 * audit: `replay` said DIVERGED, exit 1, and offered a drawing command that failed).
 */
export function scanTraceFile(path: string): ReturnType<typeof scanTrace> {
  try {
    const scanned = scanTrace(path);
    workloadOf(path);
    return scanned;
  } catch (error) {
    if (error instanceof TraceFormatError) throw new UsageError(error.message);
    throw error;
  }
}

export async function replayCommand(path: string, flags: { json?: boolean; context: number }): Promise<number> {
  const { header, end } = scanTraceFile(path);
  const scenario = await loadScenario(scenarioOfTrace(path, header.scenario, header.cwd));
  // The records leading to the first violation (or to the throw that ended the run), kept as the replay streams them (any run length).
  const lastRecords = new HistoryRing(Math.max(1, flags.context));
  let violationSeen = false;
  const onRecord = (r: Parameters<HistoryRing['push']>[0]): void => {
    if (violationSeen) return;
    lastRecords.push(r);
    if (r.k === 'violation') violationSeen = true;
  };
  let outcome;
  try {
    outcome = replayTraceFile(path, header, end, scenario, false, { cancelled: interrupted, onRecord });
  } catch (error) {
    // The file changed under us after it was checked.
    if (error instanceof TraceFormatError) throw new UsageError(error.message);
    throw error;
  }
  const { result, divergence } = outcome;
  if (outcome.interrupted === true) {
    const out = humanOut(flags.json ?? false);
    out(`vmmsim replay ${path}: INTERRUPTED by ${stopSignal()} after ${result?.steps ?? 0} of ${end.steps} steps (no divergence so far); nothing compared past them`);
    return EXIT.interrupted;
  }
  const first = result?.firstViolation ?? null;
  // A device bug may come before the run's first VMM bug (an `explore --vmm-only` find): both are named.
  const firstVmmBug = first === null || first.severity === 'vmm' ? null : firstSought(result!.violations, 'vmm') ?? null;
  const fault = result?.fault ?? null;
  // A run that ended on a throw with no violation before it: the records before the throw (an
  // outside audit: its event order was the explanation, and the replay showed none of it).
  const leading = flags.context === 0 || (first === null && fault === null) ? [] : lastRecords.toArray();
  // A replay that made no run (it diverged before any: the answers ran out, the workload
  // differs) has nothing `vmmsim trace` could draw, so no command to draw it is offered.
  const render = result === null ? null : renderCommand(path);
  const report = {
    trace: path, runtime: header.runtime, scenario: scenario.name, seed: header.seed, steps: end.steps,
    reproduced: divergence === null, divergence, traceHash: result?.traceHash ?? null,
    invariantsOk: result?.invariantsOk ?? null, firstViolation: first,
    /** The first VMM bug when a device bug came before it (else null: it is firstViolation, or there is none). */
    firstVmmBug,
    // Every violation of the run: the checker keeps the first thousand only.
    violations: result === null ? 0 : result.vmmBugs + result.deviceBugs,
    fault, actorFailed: end.actorFailed ?? null, leadingRecords: leading, render,
  };
  if (flags.json) printJson(report);
  else {
    const out = humanOut(false);
    out(`vmmsim replay ${path}: ${header.runtime} run of ${scenario.name}, seed ${header.seed}, ${end.steps} steps`);
    // What the trace says is printed escaped: its strings reach the terminal (a tampered one held an escape sequence).
    if (divergence !== null) out(`  DIVERGED: ${oneLine(divergence.message)}`);
    else out(`  reproduced exactly: ${result!.records} records, trace hash ${result!.traceHash}`);
    if (fault !== null) out(`  the run ended on: ${fault.message}`);
    if (end.expect.fault?.kind === 'hung') out(`  the recorded run then hung (the trace ends before it): ${oneLine(end.expect.fault.message)}`);
    if (end.actorFailed !== undefined) out(`  the recorded run then ended: actor ${oneLine(end.actorFailed.actor)} failed (the trace ends before it): ${oneLine(end.actorFailed.message)}`);
    if (first !== null) out(`  ${formatViolation(first)}`);
    if (firstVmmBug !== null) out(`  and the first VMM bug, later: ${formatViolation(firstVmmBug)}`);
    else if (first !== null && first.severity !== 'vmm' && result!.vmmBugs > 0) out(`  and ${result!.vmmBugs.toLocaleString('en-US')} VMM bug(s) later, past the first violations the checker keeps`);
    if (leading.length > 0) {
      out(`  the ${leading.length} records leading to it:`);
      for (const r of leading) out(`    ${formatRecord(r)}`);
    } else if (first === null && result !== null && fault === null) out('  no violation');
    if (render !== null) out(`  see it: ${render}`);
  }
  if (divergence !== null) return EXIT.violation;
  if (fault !== null) return faultExit(fault);
  if (end.expect.fault?.kind === 'hung') return faultExit(end.expect.fault);
  return first === null ? EXIT.ok : EXIT.violation;
}
