/**
 * `vmmsim trace <trace-file> --format chrome|html -o <out>`: replays a recorded run and draws it:
 * Chrome Trace Event JSON for ui.perfetto.dev and chrome://tracing, or one self-contained HTML
 * page. `--window N` or `--from/--to` cut a long run down to the records that matter.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { replayTrace } from '../../actors/sim/simulate.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/scenario.js';
import type { TraceFile } from '../../shared/trace.js';
import { toChromeTrace } from '../../trace/chrome.js';
import { toHtml } from '../../trace/html.js';
import { buildTimeline, type TimelineSource } from '../../trace/timeline.js';
import { EXIT, UsageError } from '../errors.js';
import { humanOut } from '../io.js';
import { integer, oneOf } from '../parse.js';
import { checkOutputFile } from '../outputPaths.js';
import { interrupted } from '../interrupt.js';
import { readTrace } from './replay.js';

export interface TraceFlags {
  format: 'chrome' | 'html';
  output?: string;
  from?: number;
  to?: number;
  window?: number;
}

/** Above this many records, a whole-run timeline gets slow to open: say how to cut it. */
const LARGE_RECORDS = 200_000;

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
  checkOutputFile('-o', flags.output ?? defaultOutput(tracePath, flags.format));
}

export async function traceCommand(path: string, flags: TraceFlags): Promise<number> {
  const cut = cutOf(flags);
  const trace = readTrace(path);
  const scenario = await loadScenario(trace.scenario);
  const replayed = replayTrace(trace, scenario, true, interrupted);
  if (replayed.interrupted === true) {
    process.stderr.write('vmmsim trace: interrupted by SIGINT; nothing drawn\n');
    return EXIT.interrupted;
  }
  const { result, divergence } = replayed;
  if (result === null || result.all === null) {
    process.stderr.write(`vmmsim: cannot draw ${path}: the replay diverged: ${divergence?.message ?? 'no records'}\n`);
    return EXIT.violation;
  }
  const lastSeq = result.all.length - 1;
  if (cut?.kind === 'range' && cut.fromSeq > lastSeq) throw new UsageError(`--from ${cut.fromSeq} is past the last record (${lastSeq})`);
  if (divergence !== null) process.stderr.write(`vmmsim: warning: ${divergence.message}; drawing the replayed run\n`);
  if (cut === undefined && result.all.length > LARGE_RECORDS) {
    const where = result.firstViolation !== null ? 'before the first violation' : 'at the end of the run';
    process.stderr.write(`vmmsim: ${result.all.length.toLocaleString('en-US')} records make a large timeline; --window 2000 shows the records ${where}\n`);
  }
  const timeline = buildTimeline(timelineSource(trace, scenario, result.all, cut));
  const text = flags.format === 'chrome' ? `${JSON.stringify(toChromeTrace(timeline))}\n` : toHtml(timeline);
  const output = flags.output ?? defaultOutput(path, flags.format);
  if (output === '-') {
    process.stdout.write(text);
    return EXIT.ok;
  }
  mkdirSync(dirname(output), { recursive: true });
  writeFileSync(output, text);
  const out = humanOut(false);
  const violations = timeline.instants.filter((i) => i.cat === 'violation').length;
  out(`vmmsim trace: wrote ${output}: records ${timeline.firstSeq} to ${timeline.lastSeq}, ${timeline.tracks.length} tracks, ${timeline.flows.length} events, ${violations} violation${violations === 1 ? '' : 's'}`);
  out(flags.format === 'chrome' ? '  open it in https://ui.perfetto.dev or chrome://tracing' : '  open it in a browser (it needs no network)');
  return EXIT.ok;
}

function cutOf(flags: TraceFlags): TimelineSource['cut'] {
  const ranged = flags.from !== undefined || flags.to !== undefined;
  if (ranged && flags.window !== undefined) throw new UsageError('use either --window or --from/--to, not both');
  if (flags.window !== undefined) return { kind: 'aroundViolation', before: flags.window };
  if (!ranged) return undefined;
  const fromSeq = flags.from ?? 0;
  const toSeq = flags.to ?? Number.MAX_SAFE_INTEGER;
  if (fromSeq > toSeq) throw new UsageError(`--from ${fromSeq} is after --to ${toSeq}`);
  return { kind: 'range', fromSeq, toSeq };
}

function timelineSource(trace: TraceFile, scenario: Scenario, records: TimelineSource['records'], cut: TimelineSource['cut']): TimelineSource {
  const first = trace.expect.firstViolation;
  return {
    records,
    runtime: trace.runtime,
    ...(trace.stepTimesUs !== undefined ? { stepTimesUs: trace.stepTimesUs } : {}),
    title: `${scenario.name}, seed ${trace.seed}`,
    meta: {
      scenario: scenario.name, seed: trace.seed, steps: trace.steps, strategy: trace.strategy, handles: trace.config.handleMode,
      ...(first !== null ? { 'first violation': `${first.kind} at record ${first.seq}` } : {}),
    },
    entryName: (device, entry) => {
      const spec = scenario.devices[device];
      const name = spec?.entries?.[entry];
      return spec !== undefined && name !== undefined ? `${spec.name}.${name}` : undefined;
    },
    ...(cut !== undefined ? { cut } : {}),
  };
}
