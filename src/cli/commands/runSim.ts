/**
 * `run --runtime sim`, the part that runs on the watched worker (see watched.ts): the run in
 * chunks (each sent to the main thread, which writes the trace), the report, the exit code.
 */
import { simulateInChunks } from '../../actors/sim/simChunks.js';
import { loadScenario } from '../../scenario/load.js';
import type { RunConfig, ScenarioRef } from '../../shared/trace.js';
import { EXIT } from '../errors.js';
import { formatCounts, formatVerdict, formatViolation } from '../format.js';
import { interrupted, stopSignal } from '../interrupt.js';
import { humanOut, printJson } from '../io.js';
import { violationFound } from '../machineOptions.js';
import { faultExit, faultWhat } from '../runFaultReport.js';
import { postChunk } from '../watchedWorker.js';
import { replayCommand } from '../../shared/invocation.js';

export interface RunSimTask {
  scenarioRef: ScenarioRef;
  seed: number;
  steps: number;
  config: RunConfig;
  json: boolean;
  vmmOnly: boolean;
  tracePath: string | null;
  command: string;
  runId: string;
}

export async function runSimTask(task: RunSimTask): Promise<number> {
  const scenario = await loadScenario(task.scenarioRef);
  const { config, seed } = task;
  const { result, interrupted: stopped } = simulateInChunks(
    { scenario, scenarioRef: task.scenarioRef, seed, steps: task.steps, config, command: task.command },
    (chunk) => postChunk({ t: 'chunk', chunk }),
    interrupted,
  );
  const path = task.tracePath;
  const replay = path === null ? null : replayCommand(path);
  const report = {
    runId: task.runId, runtime: 'sim' as const, seed, vms: scenario.vms, steps: result.steps, ticks: result.ticks,
    scenario: scenario.name, config, counts: result.counts, violations: result.violations.map(({ kind, severity, message, device, seq }) => ({ kind, severity, message, device, seq })),
    invariantsOk: result.invariantsOk, deviceBugs: result.deviceBugs, traceHash: result.traceHash, trace: path, replay,
    interrupted: stopped, fault: result.fault,
  };
  if (task.json) printJson(report);
  else {
    const out = humanOut(false);
    out(`vmmsim run ${task.runId}: scenario ${scenario.name}, ${scenario.vms} VMs, seed ${seed}, runtime sim, ${result.steps.toLocaleString('en-US')} steps (${(result.ticks / 1000).toFixed(1)} virtual ms)`);
    if (stopped) out(`  INTERRUPTED: stopped by ${stopSignal()}; this report covers the run so far`);
    if (result.fault !== null) out(`  STOPPED: ${result.fault.message}`);
    for (const line of formatCounts(result.counts)) out(line);
    out(formatVerdict(result.invariantsOk, result.deviceBugs, result.fault === null ? null : { label: 'STOPPED', what: faultWhat(result.fault) }));
    for (const v of result.violations.slice(0, 10)) out(`  ${formatViolation(v)}`);
    // Not bugs: a blocked callback's restart repeating calls (README "Model choices").
    for (const w of result.warnings.slice(0, 10)) out(`  warning: ${w.message}`);
    out(`  trace hash ${result.traceHash}`);
    if (path !== null) out(`  trace written to ${path}; replay: ${replay}`);
  }
  if (result.fault !== null) {
    process.stderr.write(`vmmsim: ${result.fault.message}\n`);
    return faultExit(result.fault);
  }
  if (stopped) return EXIT.interrupted;
  return violationFound(result, task.vmmOnly) ? EXIT.violation : EXIT.ok;
}
