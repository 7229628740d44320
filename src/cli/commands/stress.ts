/**
 * `vmmsim stress`: the long form of a threaded run, for minutes or hours. Every history record
 * is checked as it streams out of the VMM actor, and nothing grows with the run: the checker
 * keeps only live state, and the trace keeps the run's first part (up to its caps; the report
 * says how many steps it covers). Progress every second on a terminal; the final report as for
 * `run`; the same fault injection, SIGINT handling and exit codes.
 */
import type { Command } from 'commander';
import { newRunId, TRACE_PATH_PATTERN } from '../../shared/runId.js';
import { addMachineOptions, runConfig, threadScenario, type MachineFlags } from '../machineOptions.js';
import { tracePath } from './run.js';
import { addThreadOptions, type ThreadFlags } from '../threadOptions.js';
import { threadsCommand } from '../threadsCommand.js';

export interface StressFlags extends ThreadFlags, MachineFlags {
  progress: boolean;
}

export function addStressOptions(command: Command): Command {
  const machine = addMachineOptions(command, `${TRACE_PATH_PATTERN}; it covers the run's first part`);
  return addThreadOptions(machine.option('--no-progress', 'no progress bar on the terminal'), '10m');
}

export async function stressCommand(flags: StressFlags, argv: string[]): Promise<number> {
  const runId = newRunId();
  return threadsCommand({
    command: 'stress',
    runId,
    scenario: threadScenario(flags),
    seed: flags.seed,
    config: runConfig(flags),
    flags,
    json: flags.json ?? false,
    tracePath: tracePath('stress', flags, runId),
    progress: flags.progress,
    argv,
  });
}
