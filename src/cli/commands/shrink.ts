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
import { statSync } from 'node:fs';
import { replayCommand } from '../../shared/invocation.js';
import { writeStdout } from '../../shared/commandStdout.js';

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
    .action(async (trace: string, flags: ShrinkFlags) => {
      const out = shrunkPath(trace, flags);
      const before = writtenAt(out);
      setExit(await runWatched('shrink', [trace, flags, process.argv.slice(2)], { ring0TimeoutMs: flags.watchdog, reportHang: (message) => reportShrinkHang(message, out, before, flags.json ?? false) }));
    });
}

/** Where the shrunk trace goes: -o, or beside the input. */
export function shrunkPath(trace: string, flags: Pick<ShrinkFlags, 'out'>): string {
  return flags.out ?? `${trace.replace(/\.json$/, '')}.shrunk.json`;
}

/** When `path` was last written (null: it is not there). */
function writtenAt(path: string): number | null {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? null;
}

/**
 * A run of the shrink never returned. The given run ran first and ended in its violation, so it
 * was a candidate (ops or IRQs removed can meet a loop the given run does not), unless the given
 * run hangs itself. Each kept candidate is written as it is kept (shrinkTask.ts): the smallest so
 * far is what there is.
 */
function reportShrinkHang(message: string, out: string, before: number | null, json: boolean): void {
  const at = writtenAt(out);
  const kept = at !== null && at !== before ? out : null;
  // One line, as every error of the command line.
  process.stderr.write(`vmmsim: watchdog: ${message}; the shrink is ended: a run never returned (a candidate, which with ops or IRQs removed can meet a loop the given run does not, or the given run itself); ${
    kept !== null ? `the smallest run kept so far, not proven 1-minimal: ${kept} (${replayCommand(kept)})` : 'no candidate had been kept: nothing written'}\n`);
  // As printJson writes it (io.ts): not imported here, where every command's options load.
  if (json) writeStdout(`${JSON.stringify({ hung: { message, trace: kept, replay: kept === null ? null : replayCommand(kept), minimal: false } }, null, 2)}\n`);
}
