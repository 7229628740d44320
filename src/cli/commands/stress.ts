/**
 * `vmmsim stress`: the long form of a threaded run, for minutes or hours. Every history record
 * is checked as it streams out of the VMM actor, and nothing grows with the run: the checker
 * keeps only live state, and the trace streams to its file as the run goes (it covers the whole
 * run). Progress every second on a terminal; the final report as for `run`; the same fault
 * injection, watchdog, SIGINT handling and exit codes.
 */
import type { Command } from 'commander';
import { queueUrlOption } from '../../distributed/options.js';
import type { QueueUrl } from '../../distributed/queueUrl.js';
import { UsageError } from '../errors.js';
import { givenOf, refuse } from '../given.js';
import { addMachineOptions, resolveMachine, type MachineFlags } from '../machineOptions.js';
import { newRunId, TRACE_PATH_PATTERN } from '../../shared/runId.js';
import { checkRunPaths, tracePath } from './run.js';
import { addThreadOptions, type ThreadFlags } from '../threadOptions.js';
import { integer } from '../parse.js';

export interface StressFlags extends ThreadFlags, MachineFlags {
  progress: boolean;
  queue?: QueueUrl;
  runs?: number;
}

export function addStressOptions(command: Command): Command {
  const machine = addMachineOptions(command, TRACE_PATH_PATTERN);
  return addThreadOptions(machine.option('--no-progress', 'no progress bar on the terminal'), '10m')
    .option('--queue <url>', 'run on `vmmsim worker`s through Redis (redis://host:port[/db]) and aggregate their reports', queueUrlOption)
    .option('--runs <n>', 'with --queue: independent runs, seeds seed..seed+n-1 (default 1)', integer('--runs', 1, 100_000));
}

export async function stressCommand(flags: StressFlags, command: Command, argv: string[]): Promise<number> {
  if (flags.runs !== undefined && flags.queue === undefined) throw new UsageError('--runs needs --queue');
  if (flags.queue !== undefined) {
    // The workers run with their own watchdog and logs; the coordinator draws no progress bar.
    refuse(givenOf(command), { watchdog: '--watchdog', log: '--log', logLevel: '--log-level', progress: '--no-progress', threadLayout: '--thread-layout' },
      'does not apply with --queue (the runs happen on `vmmsim worker`s, with their own watchdog, logs and thread layout)');
    // Loaded on demand: BullMQ and ioredis are needed with --queue only.
    const machine = await resolveMachine(flags, givenOf(command));
    return (await import('../../distributed/stressOnQueue.js')).stressOnQueue(flags, flags.runs ?? 1, machine);
  }
  const runId = newRunId();
  checkRunPaths(flags);
  const machine = await resolveMachine(flags, givenOf(command));
  const path = tracePath('stress', flags, runId, machine.scenario.name);
  const { threadsCommand } = await import('../threadsCommand.js');
  return threadsCommand({
    command: 'stress', runId, scenario: machine.threadScenario, seed: flags.seed, config: machine.config, flags,
    json: flags.json ?? false, tracePath: path, progress: flags.progress, argv, vmmOnly: flags.vmmOnly ?? false,
  });
}
