/**
 * `vmmsim run`: the built-in default scenario (or a scenario module) on the chosen runtime,
 * with a report, the trace written, and the exit code saying whether the VMM held.
 */
import type { Command } from 'commander';
import { simulate } from '../../actors/sim/simulate.js';
import { loadScenario } from '../../scenario/load.js';
import type { ScenarioRef } from '../../shared/trace.js';
import { EXIT } from '../errors.js';
import { formatCounts, formatViolation } from '../format.js';
import { humanOut, printJson, writeJsonFile } from '../io.js';
import { newRunId, defaultTracePath, TRACE_PATH_PATTERN } from '../../shared/runId.js';
import { addMachineOptions, runConfig, threadScenario, type MachineFlags } from '../machineOptions.js';
import { integer, oneOf } from '../parse.js';
import { addThreadOptions, type ThreadFlags } from '../threadOptions.js';
import { threadsCommand } from '../threadsCommand.js';

export interface RunFlags extends ThreadFlags, MachineFlags {
  runtime: 'sim' | 'threads';
  steps: number;
}

export const DEFAULT_STEPS = 20_000;

export function addRunOptions(command: Command): Command {
  const machine = addMachineOptions(command
    .option('--runtime <runtime>', 'threads (worker actors, real time) or sim (one thread, virtual time)', oneOf('--runtime', ['sim', 'threads'] as const), 'threads'),
  TRACE_PATH_PATTERN);
  return addThreadOptions(machine.option('--steps <n>', 'client steps to simulate (sim runtime)', integer('--steps', 1, 100_000_000), DEFAULT_STEPS), '3');
}

export function tracePath(command: 'run' | 'stress', flags: Pick<MachineFlags, 'trace' | 'seed' | 'scenario'>, runId: string): string | null {
  if (flags.trace === false) return null;
  return typeof flags.trace === 'string' ? flags.trace : defaultTracePath(command, flags.scenario, flags.seed, runId);
}

/** `run` on the runtime the flags name. */
export async function runCommand(flags: RunFlags, argv: string[]): Promise<number> {
  const runId = newRunId();
  if (flags.runtime === 'sim') return runSimCommand(flags, argv, runId);
  return threadsCommand({
    command: 'run', runId,
    scenario: threadScenario(flags),
    seed: flags.seed, config: runConfig(flags), flags, json: flags.json ?? false, tracePath: tracePath('run', flags, runId), progress: false, argv,
  });
}

export async function runSimCommand(flags: RunFlags, argv: string[], runId: string): Promise<number> {
  const scenarioRef: ScenarioRef = flags.scenario !== undefined
    ? { kind: 'module', path: flags.scenario }
    : { kind: 'builtin', name: 'default', vms: flags.vms, steps: flags.steps };
  const scenario = await loadScenario(scenarioRef);
  const config = runConfig(flags);
  const { result, trace } = simulate({ scenario, scenarioRef, seed: flags.seed, steps: flags.steps, config, command: argv.join(' ') });
  const path = tracePath('run', flags, runId);
  if (path !== null) writeJsonFile(path, trace);
  const report = {
    runId, runtime: 'sim' as const, seed: flags.seed, vms: scenario.vms, steps: result.steps, ticks: result.ticks,
    scenario: scenario.name, config, counts: result.counts, violations: result.violations.map(({ kind, severity, message, device, seq }) => ({ kind, severity, message, device, seq })),
    invariantsOk: result.invariantsOk, deviceBugs: result.deviceBugs, traceHash: result.traceHash, trace: path,
    replay: path === null ? null : `npx vmmsim replay ${path}`,
  };
  if (flags.json) printJson(report);
  else {
    const out = humanOut(false);
    out(`vmmsim run ${runId}: scenario ${scenario.name}, ${scenario.vms} VMs, seed ${flags.seed}, runtime sim, ${result.steps.toLocaleString('en-US')} steps (${(result.ticks / 1000).toFixed(1)} virtual ms)`);
    for (const line of formatCounts(result.counts)) out(line);
    out(`  invariants: ${result.invariantsOk ? 'all held' : 'BROKEN'}; device bugs: ${result.deviceBugs}`);
    for (const v of result.violations.slice(0, 10)) out(`  ${formatViolation(v)}`);
    out(`  trace hash ${result.traceHash}`);
    if (path !== null) out(`  trace written to ${path}; replay: npx vmmsim replay ${path}`);
  }
  return result.invariantsOk ? EXIT.ok : EXIT.violation;
}
