/**
 * Running on threads from the command line (`run --runtime threads` and `stress`): logging set
 * up, SIGINT turned into a clean stop, the run, the trace written (also after a crash: the part
 * recorded so far), the report, and the exit code: 3 if an actor crashed or device code hung or
 * ran away, 1 if device code threw or any violation was found (only a VMM one with --vmm-only),
 * 130 if interrupted, else 0. A second SIGINT exits at once.
 */
import { runThreads, type RunProgress, type ThreadScenario } from '../actors/threads/orchestrator.js';
import { actorFaultText } from '../actors/threads/protocol.js';
import { FaultSpecError } from '../actors/threads/faults.js';
import { createMainLog } from '../shared/log.js';
import type { RunConfig } from '../shared/trace.js';
import { SCENARIO_CODE_ERROR } from '../shared/scenarioCodeFailure.js';
import { EXIT, UsageError } from './errors.js';
import { interrupt, onStopSignal, type StopSignal } from './interrupt.js';
import { exitNow } from '../shared/exitGuard.js';
import { humanOut, printJson } from './io.js';
import { violationFound } from './machineOptions.js';
import { progressBar } from './progressBar.js';
import type { ThreadFlags } from './threadOptions.js';
import { formatThreadsReport, isUserCodeFault, threadsReport } from './threadsReport.js';
import { shellLine } from '../shared/shellWord.js';

export interface ThreadCommand {
  command: 'run' | 'stress';
  runId: string;
  scenario: ThreadScenario;
  seed: number;
  config: RunConfig;
  flags: ThreadFlags & { watchdog: number };
  json: boolean;
  tracePath: string | null;
  /** Show a progress bar on a terminal. */
  progress: boolean;
  argv: string[];
  vmmOnly: boolean;
}


export async function threadsCommand(c: ThreadCommand): Promise<number> {
  const log = createMainLog({
    runId: c.runId, ...(c.flags.log !== undefined ? { file: c.flags.log } : {}), ...(c.flags.logLevel !== undefined ? { level: c.flags.logLevel } : {}),
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (signal: StopSignal): void => {
    if (++interrupts > 1) {
      process.stderr.write('vmmsim: interrupted again: exiting now\n');
      log.flush();
      exitNow(EXIT.interrupted);
    }
    // Which signal it was, for the report's INTERRUPTED line.
    interrupt(signal);
    controller.abort();
  };
  const stopListening = onStopSignal(onSigint);
  const display = c.progress ? progressBar(c.flags.duration) : null;
  let result;
  try {
    result = await runThreads({
      scenario: c.scenario, seed: c.seed, config: c.config, durationMs: c.flags.duration, faults: c.flags.fault,
      irqScale: c.flags.irqScale, threadLayout: c.flags.threadLayout, log, signal: controller.signal, command: shellLine(c.argv),
      ring0TimeoutMs: c.flags.watchdog, ...(c.tracePath !== null ? { tracePath: c.tracePath } : {}),
      ...(display !== null ? { onProgress: (p: RunProgress) => display.update(p) } : {}),
    });
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(error.message);
    throw error;
  } finally {
    display?.stop();
    stopListening();
  }
  const report = threadsReport(result, { command: c.command, runId: c.runId, seed: c.seed, config: c.config, tracePath: c.tracePath, faults: c.flags.fault.map((f) => f.text) });
  if (c.json) printJson(report);
  else for (const line of formatThreadsReport(report)) humanOut(false)(line);
  // The one line on stderr, with or without --json (the simulator's run writes it too: README
  // "Errors and exit codes"); the text report alone left a piped stderr empty.
  if (result.fault !== null) {
    // A stray throw of the scenario module says what the command's own thread would have said.
    const ended = result.fault.error.name === SCENARIO_CODE_ERROR ? '; the run is ended' : '';
    process.stderr.write(isUserCodeFault(result.fault.error.name) ? `vmmsim: ${result.fault.error.message}${ended}\n`
      : `vmmsim: actor ${result.fault.actor} failed: ${actorFaultText(result.fault)}\n`);
  }
  log.flush();
  if (result.outcome === 'crashed') return result.fault !== null && isUserCodeFault(result.fault.error.name) ? EXIT.violation : EXIT.crash;
  if (result.outcome === 'interrupted') return EXIT.interrupted;
  return violationFound(report, c.vmmOnly) ? EXIT.violation : EXIT.ok;
}
