/**
 * `vmmsim shrink <trace>`: shrinks any trace that ends in a violation (found by explore, or
 * recorded on threads by `vmmsim run` / `vmmsim stress`) to a 1-minimal one with the same
 * violation kind, writes it, and says how much smaller it is. The output replays with
 * `vmmsim replay`. Traces are read by the one reader the other commands use (replay.ts). This file holds the
 * options; the command runs on a watched worker (shrinkTask.ts).
 */
import type { Command } from 'commander';
import { DEFAULT_MAX_CANDIDATES } from '../../explore/shrinkBudget.js';
import { integer } from '../parse.js';
import { runWatched } from '../watched.js';
import { watchdogOption } from '../machineOptions.js';

export interface ShrinkFlags {
  json?: boolean;
  out?: string;
  maxCandidates: number;
  /** Milliseconds. */
  watchdog: number;
}

export function addShrinkCommand(program: Command, setExit: (code: number) => void): void {
  program
    .command('shrink <trace>')
    .description('shrink a trace that ends in a violation (simulated or threaded) to a 1-minimal one of the same kind')
    .option('--json', 'one JSON object on stdout')
    .option('-o, --out <file>', 'where the shrunk trace goes (default: <trace>.shrunk.json)')
    .option('--max-candidates <n>', 'candidate runs at most', integer('--max-candidates', 1, 100_000_000), DEFAULT_MAX_CANDIDATES)
    .addOption(watchdogOption('shrink'))
    // On a watched worker, as replay: a candidate run whose device code never returns is ended by the watchdog (exit 3).
    .action(async (trace: string, flags: ShrinkFlags) => setExit(await runWatched('shrink', [trace, flags, process.argv.slice(2)], { ring0TimeoutMs: flags.watchdog })));
}
