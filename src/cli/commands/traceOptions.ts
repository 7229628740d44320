/** `vmmsim trace`'s options, and its output checked on the main thread before any work (trace.ts runs it). */
import type { Command } from 'commander';
import { integer, oneOf } from '../parse.js';
import { checkDistinctPaths, checkOutputFile } from '../outputPaths.js';

export interface TraceFlags {
  format: 'chrome' | 'html';
  output?: string;
  from?: number;
  to?: number;
  window?: number;
}

export function addTraceOptions(command: Command): Command {
  return command
    .requiredOption('--format <format>', 'chrome (Trace Event JSON for Perfetto / chrome://tracing) or html (one self-contained page)', oneOf('--format', ['chrome', 'html'] as const))
    .option('-o, --output <file>', "where to write it ('-' for stdout; default: next to the trace, named after it and the stretch drawn)")
    .option('--from <seq>', 'first record to show', integer('--from', 0, 2 ** 31))
    .option('--to <seq>', 'last record to show', integer('--to', 0, 2 ** 31))
    .option('--window <n>', 'show the n records before the first violation (and n/4 after it)', integer('--window', 1, 10_000_000));
}

/**
 * Next to the trace, named after what it draws: a stretch drawn (`--window`, `--from`, `--to`)
 * gets a name of its own, so that drawing a stretch does not overwrite the whole run's drawing.
 */
export function defaultOutput(tracePath: string, flags: Pick<TraceFlags, 'format' | 'from' | 'to' | 'window'>): string {
  const stretch = flags.window !== undefined ? `.window-${flags.window}`
    : flags.from !== undefined || flags.to !== undefined ? `.records-${flags.from ?? 0}-${flags.to ?? 'end'}` : '';
  return `${tracePath.replace(/\.json$/, '')}${stretch}${flags.format === 'chrome' ? '.chrome.json' : '.html'}`;
}

/** -o checked before any work (the replay may take long). */
export function checkTraceOutput(tracePath: string, flags: TraceFlags): void {
  const output = flags.output ?? defaultOutput(tracePath, flags);
  checkOutputFile('-o', output, true);
  checkDistinctPaths([['the trace', tracePath], ['-o', output]]);
}
