/**
 * `vmmsim run`: the built-in default scenario (or a scenario module) on the chosen runtime,
 * with a report, the trace written, and the exit code saying whether anything broke.
 */
import type { Command } from 'commander';
import { checkDistinctPaths, checkOutputFile } from '../outputPaths.js';
import { givenOf, refuse } from '../given.js';
import { addMachineOptions, resolveMachine, type MachineFlags } from '../machineOptions.js';
import { newRunId, defaultTracePath, TRACE_PATH_PATTERN } from '../../shared/runId.js';
import { integer, oneOf } from '../parse.js';
import { addThreadOptions, type ThreadFlags } from '../threadOptions.js';
import { runWatched } from '../watched.js';
import type { RunSimTask } from './runSim.js';
import { shellLine } from '../../shared/shellWord.js';

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

/**
 * The run's trace file, once the scenario is loaded: the one given (checked before, by
 * checkRunPaths), or `vmmsim-traces/<command>-<scenario>-<seed>-<run id>.json`, named by the
 * scenario's name (as `explore` names its traces), checked here.
 */
export function tracePath(command: 'run' | 'stress', flags: Pick<MachineFlags, 'trace' | 'seed'>, runId: string, scenarioName: string): string | null {
  if (flags.trace === false) return null;
  if (typeof flags.trace === 'string') return flags.trace;
  const path = defaultTracePath(command, scenarioName, flags.seed, runId);
  checkOutputFile('--trace', path);
  return path;
}

/** The output files a run was given, checked before any work: the trace, the log, and that none is another. */
export function checkRunPaths(flags: Pick<MachineFlags, 'trace' | 'scenario'> & { log?: string }): void {
  const trace = typeof flags.trace === 'string' ? flags.trace : undefined;
  if (trace !== undefined) checkOutputFile('--trace', trace);
  if (flags.log !== undefined) checkOutputFile('--log', flags.log);
  checkDistinctPaths([['--scenario', flags.scenario], ['--trace', trace], ['--log', flags.log]]);
}

/** `run` on the runtime the flags name; every flag checked against it before any work. */
export async function runCommand(flags: RunFlags, command: Command, argv: string[]): Promise<number> {
  const given = givenOf(command);
  if (flags.runtime === 'sim') {
    refuse(given, { duration: '--duration', fault: '--fault', irqScale: '--irq-scale', threadLayout: '--thread-layout', log: '--log', logLevel: '--log-level' },
      'applies to the threads runtime only (this run is --runtime sim, which counts --steps)');
  } else refuse(given, { steps: '--steps' }, 'applies to --runtime sim only (a threaded run lasts --duration)');
  const runId = newRunId();
  checkRunPaths(flags);
  const machine = await resolveMachine(flags, given);
  const path = tracePath('run', flags, runId, machine.scenario.name);
  if (flags.runtime === 'threads') {
    const { threadsCommand } = await import('../threadsCommand.js');
    return threadsCommand({
      command: 'run', runId, scenario: machine.threadScenario, seed: flags.seed, config: machine.config, flags,
      json: flags.json ?? false, tracePath: path, progress: false, argv, vmmOnly: flags.vmmOnly ?? false,
    });
  }
  const task: RunSimTask = {
    scenarioRef: machine.scenarioRef, seed: flags.seed, steps: flags.steps, config: machine.config, json: flags.json ?? false,
    vmmOnly: flags.vmmOnly ?? false, tracePath: path, command: shellLine(argv), runId,
  };
  const meta = { scenario: () => machine.scenarioRef, seed: flags.seed, config: machine.config, command: task.command, runtime: 'sim' as const, strategy: 'random' };
  return runWatched('run-sim', [task], { ring0TimeoutMs: flags.watchdog, trace: path === null ? null : { path, meta } });
}
