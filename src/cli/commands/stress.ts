/**
 * `vmmsim stress`: the long form of a threaded run, for minutes or hours. Every history record
 * is checked as it streams out of the VMM actor, and nothing grows with the run: the checker
 * keeps only live state, and the trace keeps the run's first part (up to its caps; the report
 * says how many steps it covers). Progress every second on a terminal; the final report as for
 * `run`; the same fault injection, SIGINT handling and exit codes.
 */
import type { Command } from 'commander';
import { integer, oneOf, seed } from '../parse.js';
import { addThreadOptions, type ThreadFlags } from '../threadOptions.js';
import { threadsCommand } from '../threadsCommand.js';

export interface StressFlags extends ThreadFlags {
  seed: number;
  vms: number;
  scenario?: string;
  latitude?: boolean;
  handles: 'checked' | 'pooled';
  trace: string | false;
  json?: boolean;
  progress: boolean;
}

export function addStressOptions(command: Command): Command {
  return addThreadOptions(command
    .option('--seed <n>', "master seed (an integer, or 'random')", seed, 1)
    .option('--vms <n>', 'virtual machines, the system VM included', integer('--vms', 1, 64), 4)
    .option('--scenario <file>', 'a scenario module instead of the built-in machine')
    .option('--latitude', "let the VMM schedule a Call_XX_Event it could call now (SPEC §3 'latitude')")
    .option('--handles <mode>', 'checked (stale handles detected) or pooled (real-VMM reuse)', oneOf('--handles', ['checked', 'pooled'] as const), 'checked')
    .option('--trace <file>', 'where to write the trace (default vmmsim-traces/stress-<seed>.json); it covers the run\'s first part')
    .option('--no-trace', 'do not write a trace')
    .option('--no-progress', 'no progress bar on the terminal')
    .option('--json', 'one JSON object on stdout'), '10m');
}

export async function stressCommand(flags: StressFlags, argv: string[]): Promise<number> {
  return threadsCommand({
    command: 'stress',
    scenario: flags.scenario !== undefined ? { kind: 'module', path: flags.scenario } : { kind: 'builtin', vms: flags.vms },
    seed: flags.seed,
    config: { handleMode: flags.handles, latitude: flags.latitude ?? false },
    flags,
    json: flags.json ?? false,
    tracePath: flags.trace === false ? null : typeof flags.trace === 'string' ? flags.trace : `vmmsim-traces/stress-${flags.seed}.json`,
    progress: flags.progress,
    argv,
  });
}
