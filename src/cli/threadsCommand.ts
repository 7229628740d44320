/**
 * Running on threads from the command line (`run --runtime threads` and `stress`): logging set
 * up, SIGINT turned into a clean stop, the run, the trace written (also after a crash: the part
 * recorded so far), the report, and the exit code: 3 if an actor crashed, 130 if interrupted,
 * 1 if a VMM invariant broke, else 0. A second SIGINT exits at once.
 */
import { runThreads, type RunProgress, type ThreadScenario } from '../actors/threads/orchestrator.js';
import { FaultSpecError } from '../actors/threads/faults.js';
import { createMainLog } from '../shared/log.js';
import type { RunConfig } from '../shared/trace.js';
import { EXIT, UsageError } from './errors.js';
import { humanOut, printJson, writeJsonFile } from './io.js';
import { progressBar } from './progressBar.js';
import type { ThreadFlags } from './threadOptions.js';
import { formatThreadsReport, threadsReport } from './threadsReport.js';

export interface ThreadCommand {
  command: 'run' | 'stress';
  runId: string;
  scenario: ThreadScenario;
  seed: number;
  config: RunConfig;
  flags: ThreadFlags;
  json: boolean;
  tracePath: string | null;
  /** Show a progress bar on a terminal. */
  progress: boolean;
  argv: string[];
}

export async function threadsCommand(c: ThreadCommand): Promise<number> {
  const log = createMainLog({
    runId: c.runId, ...(c.flags.log !== undefined ? { file: c.flags.log } : {}), ...(c.flags.logLevel !== undefined ? { level: c.flags.logLevel } : {}),
  });
  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    if (++interrupts > 1) {
      process.stderr.write('vmmsim: interrupted again: exiting now\n');
      log.flush();
      process.exit(EXIT.interrupted);
    }
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  const display = c.progress ? progressBar(c.flags.duration) : null;
  let result;
  try {
    result = await runThreads({
      scenario: c.scenario, seed: c.seed, config: c.config, durationMs: c.flags.duration, faults: c.flags.fault,
      irqScale: c.flags.irqScale, log, signal: controller.signal, command: c.argv.join(' '),
      ...(display !== null ? { onProgress: (p: RunProgress) => display.update(p) } : {}),
    });
  } catch (error) {
    if (error instanceof FaultSpecError) throw new UsageError(error.message);
    throw error;
  } finally {
    display?.stop();
    process.off('SIGINT', onSigint);
  }
  if (c.tracePath !== null && result.trace !== null) writeJsonFile(c.tracePath, result.trace);
  const report = threadsReport(result, { command: c.command, runId: c.runId, seed: c.seed, config: c.config, tracePath: c.tracePath, faults: c.flags.fault.map((f) => f.text) });
  if (c.json) {
    printJson(report);
    if (result.fault !== null) process.stderr.write(`vmmsim: actor ${result.fault.actor} failed: ${result.fault.error.name}: ${result.fault.error.message}\n`);
  } else for (const line of formatThreadsReport(report)) humanOut(false)(line);
  log.flush();
  if (result.outcome === 'crashed') return EXIT.crash;
  if (result.outcome === 'interrupted') return EXIT.interrupted;
  return report.invariantsOk ? EXIT.ok : EXIT.violation;
}
