/**
 * `vmmsim stress`: the long form of a threaded run, for minutes or hours. Every history record
 * is checked as it streams out of the VMM actor, and nothing grows with the run: the checker
 * keeps only live state, and the trace streams to its file as the run goes (it covers the whole
 * run). Progress every second on a terminal; the final report as for `run`; the same fault
 * injection, watchdog, SIGINT handling and exit codes.
 */
import type { Command } from 'commander';
import { givenOf } from '../given.js';
import { addMachineOptions, resolveMachine, type MachineFlags } from '../machineOptions.js';
import { checkOutputFile } from '../outputPaths.js';
import { addThreadOptions, type ThreadFlags } from '../threadOptions.js';
import { threadsCommand } from '../threadsCommand.js';

export interface StressFlags extends ThreadFlags, MachineFlags {
  progress: boolean;
}

export function addStressOptions(command: Command): Command {
  const machine = addMachineOptions(command, 'vmmsim-traces/stress-<seed>.json');
  return addThreadOptions(machine.option('--no-progress', 'no progress bar on the terminal'), '10m');
}

export async function stressCommand(flags: StressFlags, command: Command, argv: string[]): Promise<number> {
  const tracePath = flags.trace === false ? null : typeof flags.trace === 'string' ? flags.trace : `vmmsim-traces/stress-${flags.seed}.json`;
  if (tracePath !== null) checkOutputFile('--trace', tracePath);
  if (flags.log !== undefined) checkOutputFile('--log', flags.log);
  const machine = await resolveMachine(flags, givenOf(command));
  return threadsCommand({
    command: 'stress', scenario: machine.threadScenario, seed: flags.seed, config: machine.config, flags,
    json: flags.json ?? false, tracePath, progress: flags.progress, argv, vmmOnly: flags.vmmOnly ?? false,
  });
}
