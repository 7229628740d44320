/**
 * `vmmsim trace <trace-file> --format chrome|html -o <out>`: replays a recorded run and draws it
 * as the records stream out of the replay (digest.ts: a whole-run overview and detail windows,
 * in memory that does not grow with the run), written out piece by piece: Chrome Trace Event
 * JSON for ui.perfetto.dev and chrome://tracing, or one self-contained HTML page. `--window N`
 * or `--from/--to` draw just the records that matter.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeDirs } from '../../shared/makeDirs.js';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { replayTraceFile, type ReplayOutcome } from '../../actors/sim/replay.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/scenario.js';
import { readTraceLines, TraceFormatError, type TraceEnd, type TraceHeader } from '../../shared/traceFile.js';
import type { HistorySink } from '../../vmm/history.js';
import { writeChromeTrace } from '../../trace/chrome.js';
import { DigestBuilder } from '../../trace/digest.js';
import { writeHtml } from '../../trace/html.js';
import type { Args } from '../../trace/model.js';
import { aroundFirstViolation, type SeqRange } from '../../trace/window.js';
import { EXIT, UsageError } from '../errors.js';
import { humanOut } from '../io.js';
import { integer, oneOf } from '../parse.js';
import { checkDistinctPaths, checkOutputFile } from '../outputPaths.js';
import { interrupted } from '../interrupt.js';
import { scanTraceFile } from './replay.js';

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
    .option('-o, --output <file>', "where to write it ('-' for stdout; default: next to the trace)")
    .option('--from <seq>', 'first record to show', integer('--from', 0, 2 ** 31))
    .option('--to <seq>', 'last record to show', integer('--to', 0, 2 ** 31))
    .option('--window <n>', 'show the n records before the first violation (and n/4 after it)', integer('--window', 1, 10_000_000));
}

export function defaultOutput(tracePath: string, format: TraceFlags['format']): string {
  return `${tracePath.replace(/\.json$/, '')}${format === 'chrome' ? '.chrome.json' : '.html'}`;
}

/** -o checked before any work (the replay may take long). */
export function checkTraceOutput(tracePath: string, flags: TraceFlags): void {
  const output = flags.output ?? defaultOutput(tracePath, flags.format);
  checkOutputFile('-o', output);
  checkDistinctPaths([['the trace', tracePath], ['-o', output]]);
}

/**
 * The trace streams through the replay as `replay` reads it (its choices are never all in memory:
 * a long run's are tens of megabytes); only a threaded run's step times are held, for the clock.
 */
export async function traceCommand(path: string, flags: TraceFlags): Promise<number> {
  const { header, end } = scanTraceFile(path);
  const stepTimesUs = header.runtime === 'threads' ? stepTimesOf(path) : [];
  const lastSeq = end.expect.records - 1;
  const range = rangeOf(flags, lastSeq, end.expect.firstViolation?.seq ?? null);
  const scenario = await loadScenario(header.scenario);
  const digest = new DigestBuilder({
    runtime: header.runtime, title: `${scenario.name}, seed ${header.seed}`,
    meta: { ...metaOf(header, end, scenario), ...(range.fromSeq > 0 || range.toSeq < lastSeq ? { window: `records ${range.fromSeq} to ${range.toSeq} of 0 to ${lastSeq}` } : {}) },
    firstSeq: range.fromSeq, lastSeq: range.toSeq, entryName: entryNames(scenario),
    ...(stepTimesUs.length > 0 ? { times: { stepTimesUs, strideSteps: end.stepTimesStride ?? 1 } } : {}),
  });
  const replayed = replayUpTo(path, header, end, scenario, range.toSeq < lastSeq ? range.toSeq : null, (r) => digest.push(r));
  if ('interrupted' in replayed && replayed.interrupted === true) {
    process.stderr.write('vmmsim trace: interrupted by SIGINT; nothing drawn\n');
    return EXIT.interrupted;
  }
  const { result, divergence } = replayed;
  if (result === null) {
    process.stderr.write(`vmmsim: cannot draw ${path}: the replay diverged: ${divergence?.message ?? 'no records'}\n`);
    return EXIT.violation;
  }
  if (divergence !== null) process.stderr.write(`vmmsim: warning: ${divergence.message}; drawing the replayed run\n`);
  const drawn = digest.end();
  const output = flags.output ?? defaultOutput(path, flags.format);
  const bytes = writeOut(output, (write) => (flags.format === 'chrome' ? writeChromeTrace(drawn, write) : writeHtml(drawn, write)));
  if (output === '-') return EXIT.ok;
  const out = humanOut(false);
  const { overview } = drawn;
  const events = overview.tracks.find((t) => t.id === 'vmm')?.counts.scheduled?.reduce((a, b) => a + b, 0) ?? 0;
  out(`vmmsim trace: wrote ${output} (${(bytes / 1e6).toFixed(1)} MB): records ${overview.firstSeq} to ${overview.lastSeq}, ${overview.tracks.length} tracks, ` +
    `${events.toLocaleString('en-US')} events scheduled, ${overview.violationsTotal} violation${overview.violationsTotal === 1 ? '' : 's'}`);
  if (!drawn.complete) {
    out(`  ${(overview.lastSeq - overview.firstSeq + 1).toLocaleString('en-US')} records: the whole run as per-track activity, every record of ${drawn.windows.length} stretches ` +
      '(violations, start, end, the busiest); --from/--to draw any stretch in full');
  }
  out(flags.format === 'chrome' ? '  open it in https://ui.perfetto.dev or chrome://tracing' : '  open it in a browser (it needs no network)');
  return EXIT.ok;
}

/** Thrown out of the replay once the last record to draw is made: the rest of a long run is not needed. */
class DrawnEnough extends Error {
  override readonly name = 'DrawnEnough';
}

/** A threaded run's step times (one every stride steps: a 5M-step run's are 78,000 numbers). */
function stepTimesOf(path: string): number[] {
  const us: number[] = [];
  try {
    for (const line of readTraceLines(path)) if (line.t === 'stepTimes') for (const t of line.us) us.push(t);
  } catch (error) {
    // The file changed under us after it was checked.
    if (error instanceof TraceFormatError) throw new UsageError(error.message);
    throw error;
  }
  return us;
}

/** The replay, stopped after record `lastSeq` when it is not the run's last (nothing past it is drawn). */
function replayUpTo(path: string, header: TraceHeader, end: TraceEnd, scenario: Scenario, lastSeq: number | null, onRecord: HistorySink): ReplayOutcome | { result: 'stopped'; divergence: null } {
  try {
    return replayTraceFile(path, header, end, scenario, false, {
      cancelled: interrupted,
      onRecord: lastSeq === null ? onRecord : (r) => {
        onRecord(r);
        if (r.seq >= lastSeq) throw new DrawnEnough();
      },
    });
  } catch (error) {
    if (error instanceof DrawnEnough) return { result: 'stopped', divergence: null };
    if (error instanceof TraceFormatError) throw new UsageError(error.message);
    throw error;
  }
}

/** Writes the pieces to a file (or stdout for '-') as they come; returns the bytes written. */
function writeOut(output: string, produce: (write: (text: string) => void) => void): number {
  let bytes = 0;
  if (output === '-') {
    produce((text) => {
      bytes += Buffer.byteLength(text);
      process.stdout.write(text);
    });
    return bytes;
  }
  makeDirs(dirname(output));
  const fd = openSync(output, 'w');
  try {
    produce((text) => {
      bytes += writeSync(fd, text);
    });
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** The records to draw: all, a --from/--to range, or the --window before the first violation. */
function rangeOf(flags: TraceFlags, lastSeq: number, violationSeq: number | null): SeqRange {
  const ranged = flags.from !== undefined || flags.to !== undefined;
  if (ranged && flags.window !== undefined) throw new UsageError('use either --window or --from/--to, not both');
  if (flags.window !== undefined) return aroundFirstViolation(0, lastSeq, violationSeq, flags.window);
  const fromSeq = flags.from ?? 0;
  const toSeq = Math.min(flags.to ?? lastSeq, lastSeq);
  if (flags.from !== undefined && flags.to !== undefined && flags.from > flags.to) throw new UsageError(`--from ${fromSeq} is after --to ${flags.to}`);
  if (fromSeq > lastSeq) throw new UsageError(`--from ${fromSeq} is past the last record (${lastSeq})`);
  return { fromSeq, toSeq };
}

function metaOf(header: TraceHeader, end: TraceEnd, scenario: Scenario): Args {
  const first = end.expect.firstViolation;
  return {
    scenario: scenario.name, seed: header.seed, steps: end.steps, strategy: header.strategy, handles: header.config.handleMode,
    records: end.expect.records,
    ...(end.stepTimesStride !== undefined ? { 'step times': `sampled every ${end.stepTimesStride} steps` } : {}),
    ...(first !== null ? { 'first violation': `${first.kind} at record ${first.seq}` } : {}),
  };
}

function entryNames(scenario: Scenario): (device: number, entry: number) => string | undefined {
  return (device, entry) => {
    const spec = scenario.devices[device];
    const name = spec?.entries?.[entry];
    return spec !== undefined && name !== undefined ? `${spec.name}.${name}` : undefined;
  };
}
