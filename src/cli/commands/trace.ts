/**
 * `vmmsim trace <trace-file> --format chrome|html -o <out>`: replays a recorded run and draws it
 * as the records stream out of the replay (digest.ts: a whole-run overview and detail windows,
 * in memory that does not grow with the run), written out piece by piece: Chrome Trace Event
 * JSON for ui.perfetto.dev and chrome://tracing, or one self-contained HTML page. `--window N`
 * or `--from/--to` draw just the records that matter. Its options are in traceOptions.ts, which
 * the main thread loads; this runs on a watched worker.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { makeDirs } from '../../shared/makeDirs.js';
import { dirname } from 'node:path';
import { replayTraceFile, type ReplayOutcome } from '../../actors/sim/replay.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/scenario.js';
import { readTraceLines, TraceFormatError, type TraceEnd, type TraceHeader } from '../../shared/traceFile.js';
import type { HistorySink } from '../../vmm/history.js';
import { writeChromeTrace } from '../../trace/chrome.js';
import { DETAIL_RECORDS_MAX, DigestBuilder } from '../../trace/digest.js';
import { writeHtml } from '../../trace/html.js';
import type { Args } from '../../trace/model.js';
import { aroundFirstViolation, type SeqRange } from '../../trace/window.js';
import { EXIT, UsageError } from '../errors.js';
import { humanOut, namingFile } from '../io.js';
import { defaultOutput, type TraceFlags } from './traceOptions.js';
import { interrupted, stopSignal } from '../interrupt.js';
import { scanTraceFile } from './replay.js';
import { scenarioOfTrace } from '../traceScenario.js';
import { checkDistinctPaths, moduleFileOf } from '../outputPaths.js';
import { writeStdout } from '../../shared/commandStdout.js';
import { oneLine } from '../../shared/oneLine.js';

/**
 * The trace streams through the replay as `replay` reads it (its choices are never all in memory:
 * a long run's are tens of megabytes); only a threaded run's step times are held, for the clock.
 *
 * What is drawn and printed is what the replay counted, never what the end line claims: the
 * range is first taken from the end line (to stop the replay early for a stretch), and if the
 * replay counted another total or found another first violation, it is drawn again from the
 * counted figures and both are said ("the end line claims N; the file's replay made M").
 */
export async function traceCommand(path: string, flags: TraceFlags): Promise<number> {
  const { header, end } = scanTraceFile(path);
  const stepTimesUs = header.runtime === 'threads' ? stepTimesOf(path) : [];
  const scenarioRef = scenarioOfTrace(path, header.scenario, header.cwd);
  checkDistinctPaths([['the scenario module', moduleFileOf(scenarioRef)], ['the trace', path], ['-o', flags.output ?? defaultOutput(path, flags)]]);
  const scenario = await loadScenario(scenarioRef);
  const claimed: Counted = { records: end.expect.records, firstViolation: end.expect.firstViolation };
  const draw = (range: SeqRange, counted: Counted | null): DrawPass => drawPass(path, header, end, scenario, stepTimesUs, range, claimed, counted);
  let range = rangeOf(flags, claimed.records - 1, claimed.firstViolation?.seq ?? null);
  let pass = draw(range, null);
  if (pass.kind === 'interrupted') return interruptedExit();
  if (pass.kind === 'diverged') {
    process.stderr.write(`vmmsim: cannot draw ${path}: the replay diverged: ${oneLine(pass.message)}\n`);
    return EXIT.violation;
  }
  // A stretch stopped early is checked against the end line up to where it stopped; a claim it
  // contradicts there (a first violation elsewhere) needs the whole replay's count.
  let counted = pass.counted ?? (contradicts(claimed, pass.seen) ? countWhole(path, header, end, scenario) : null);
  if (counted === 'interrupted') return interruptedExit();
  if (counted !== null && !sameCounts(claimed, counted)) {
    range = rangeOf(flags, counted.records - 1, counted.firstViolation?.seq ?? null, 'the file\'s replay');
    pass = draw(range, counted);
    if (pass.kind === 'interrupted') return interruptedExit();
    if (pass.kind === 'diverged') throw new Error(`the second replay of ${path} diverged where the first did not`);
    counted = pass.counted ?? counted;
  }
  // The replay parted from the recording (a checkpoint differs): what is drawn is the replayed
  // run, not the recorded one. The page's title and facts say so, and the exit is replay's for a
  // divergence, so a script never takes the drawing for the recorded run.
  const divergence = pass.warning;
  if (divergence !== null) process.stderr.write(`vmmsim trace: the replay DIVERGED from the recorded run: ${oneLine(divergence)}; the drawing is of the replayed run (its page says so)\n`);
  const digest = pass.digest.end();
  const drawn = divergence === null ? digest : { ...digest, title: `${digest.title} (the replay, DIVERGED from the recorded run)`, meta: { ...digest.meta, diverged: oneLine(divergence) } };
  const output = flags.output ?? defaultOutput(path, flags);
  const bytes = writeOut(output, (write) => (flags.format === 'chrome' ? writeChromeTrace(drawn, write) : writeHtml(drawn, write)));
  const exit = divergence === null ? EXIT.ok : EXIT.violation;
  if (output === '-') return exit;
  const out = humanOut(false);
  const { overview } = drawn;
  const events = overview.tracks.find((t) => t.id === 'vmm')?.counts.scheduled?.reduce((a, b) => a + b, 0) ?? 0;
  out(`vmmsim trace: wrote ${output} (${(bytes / 1e6).toFixed(1)} MB): records ${overview.firstSeq} to ${overview.lastSeq}, ${overview.tracks.length} tracks, ` +
    `${events.toLocaleString('en-US')} events scheduled, ${overview.violationsTotal} violation${overview.violationsTotal === 1 ? '' : 's'}`);
  for (const line of disagreements(claimed, counted)) out(`  ${line}`);
  if (!drawn.complete) {
    out(`  ${(overview.lastSeq - overview.firstSeq + 1).toLocaleString('en-US')} records: the whole run as per-track activity, every record of ${drawn.windows.length} stretches ` +
      `(violations, start, end, the busiest); --from/--to draw a stretch of up to ${DETAIL_RECORDS_MAX.toLocaleString('en-US')} records in full`);
  }
  out(flags.format === 'chrome' ? '  open it in https://ui.perfetto.dev or chrome://tracing' : '  open it in a browser (it needs no network)');
  return exit;
}

function interruptedExit(): number {
  process.stderr.write(`vmmsim trace: interrupted by ${stopSignal()}; nothing drawn\n`);
  return EXIT.interrupted;
}

/** The figures a drawing states: the record total and the first violation. */
interface Counted {
  records: number;
  firstViolation: { kind: string; severity: string; seq: number } | null;
}

/** What a replay stopped early saw: the records up to `lastSeq`, and the first violation among them. */
interface Seen {
  lastSeq: number;
  firstViolation: { kind: string; severity: string; seq: number } | null;
}

type DrawPass =
  | { kind: 'drawn'; digest: DigestBuilder; counted: Counted | null; seen: Seen; warning: string | null }
  | { kind: 'diverged'; message: string }
  | { kind: 'interrupted' };

/** One replay drawn into a digest of `range`; `counted` (once known) is what its header states. */
function drawPass(path: string, header: TraceHeader, end: TraceEnd, scenario: Scenario, stepTimesUs: number[], range: SeqRange, claimed: Counted, counted: Counted | null): DrawPass {
  const known = counted ?? claimed;
  const lastSeq = known.records - 1;
  const digest = new DigestBuilder({
    runtime: header.runtime, title: `${scenario.name}, seed ${header.seed}`,
    meta: { ...metaOf(header, end, scenario, claimed, counted, range), ...(range.fromSeq > 0 || range.toSeq < lastSeq ? { window: `records ${range.fromSeq} to ${range.toSeq} of 0 to ${lastSeq}` } : {}) },
    firstSeq: range.fromSeq, lastSeq: range.toSeq, entryName: entryNames(scenario),
    ...(stepTimesUs.length > 0 ? { times: { stepTimesUs, strideSteps: end.stepTimesStride ?? 1 } } : {}),
  });
  const seen: Seen = { lastSeq: -1, firstViolation: null };
  const stopAt = range.toSeq < lastSeq ? range.toSeq : null;
  const replayed = replayUpTo(path, header, end, scenario, stopAt, (r) => {
    seen.lastSeq = r.seq;
    if (r.k === 'violation' && seen.firstViolation === null) seen.firstViolation = { kind: r.kind, severity: r.severity, seq: r.seq };
    digest.push(r);
  });
  if ('interrupted' in replayed && replayed.interrupted === true) return { kind: 'interrupted' };
  const { result, divergence } = replayed;
  if (result === null) return { kind: 'diverged', message: divergence?.message ?? 'no records' };
  const whole = result === 'stopped' ? null : { records: result.records, firstViolation: result.firstViolation };
  return { kind: 'drawn', digest, counted: whole, seen, warning: divergence?.message ?? null };
}

/** The whole replay, counted and not drawn (a stretch's replay stopped early met a claim it contradicts). */
function countWhole(path: string, header: TraceHeader, end: TraceEnd, scenario: Scenario): Counted | 'interrupted' {
  const replayed = replayUpTo(path, header, end, scenario, null, () => undefined);
  if ('interrupted' in replayed && replayed.interrupted === true) return 'interrupted';
  const { result } = replayed;
  if (result === null || result === 'stopped') throw new Error(`the second replay of ${path} did not end where the first did`);
  return { records: result.records, firstViolation: result.firstViolation };
}

/** Whether what a stopped replay saw contradicts the end line's first violation (up to where it stopped). */
function contradicts(claimed: Counted, seen: Seen): boolean {
  const claim = claimed.firstViolation;
  if (seen.firstViolation !== null) return claim === null || seen.firstViolation.seq !== claim.seq || seen.firstViolation.kind !== claim.kind;
  return claim !== null && claim.seq <= seen.lastSeq;
}

function sameCounts(a: Counted, b: Counted): boolean {
  const v = a.firstViolation;
  const w = b.firstViolation;
  return a.records === b.records && (v === null ? w === null : w !== null && v.seq === w.seq && v.kind === w.kind && v.severity === w.severity);
}

// The end line's kind is the trace's text, printed escaped (a newline in it split the line).
const violationText = (v: Counted['firstViolation']): string => (v === null ? 'no violation' : `${v.severity} violation ${oneLine(v.kind)} at record ${v.seq}`);

/** The end line's claims the replay did not bear out, one sentence each (none when all agree or nothing was counted). */
function disagreements(claimed: Counted, counted: Counted | null): string[] {
  if (counted === null) return [];
  const lines: string[] = [];
  if (claimed.records !== counted.records) {
    lines.push(`the end line claims ${claimed.records.toLocaleString('en-US')} records; the file's replay made ${counted.records.toLocaleString('en-US')}`);
  }
  if (!sameCounts({ ...claimed, records: 0 }, { ...counted, records: 0 })) {
    lines.push(`the end line claims ${violationText(claimed.firstViolation)}; the file's replay found ${violationText(counted.firstViolation)}`);
  }
  return lines;
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

/**
 * The replay, stopped after record `lastSeq` when it is not the run's last (nothing past it is
 * drawn). It stops through the replay's own cancel poll, between steps: an error thrown out of
 * the record sink would be thrown inside device code, taken for the device's fault, and the run
 * that ended there compared with the trace (a false divergence).
 */
function replayUpTo(path: string, header: TraceHeader, end: TraceEnd, scenario: Scenario, lastSeq: number | null, onRecord: HistorySink): ReplayOutcome | { result: 'stopped'; divergence: null } {
  let drawnEnough = false;
  try {
    const replayed = replayTraceFile(path, header, end, scenario, false, {
      cancelled: () => drawnEnough || interrupted(),
      onRecord: lastSeq === null ? onRecord : (r) => {
        if (r.seq <= lastSeq) onRecord(r);
        if (r.seq >= lastSeq) drawnEnough = true;
      },
    });
    if (replayed.interrupted === true && drawnEnough && !interrupted()) return { result: 'stopped', divergence: null };
    return replayed;
  } catch (error) {
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
      writeStdout(text);
    });
    return bytes;
  }
  makeDirs(dirname(output));
  const fd = openSync(output, 'w');
  try {
    produce((text) => {
      bytes += namingFile(output, () => writeSync(fd, text));
    });
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** The records to draw: all, a --from/--to range, or the --window before the first violation. */
function rangeOf(flags: TraceFlags, lastSeq: number, violationSeq: number | null, whose = 'the end line'): SeqRange {
  const ranged = flags.from !== undefined || flags.to !== undefined;
  if (ranged && flags.window !== undefined) throw new UsageError('use either --window or --from/--to, not both');
  if (flags.window !== undefined) return aroundFirstViolation(0, lastSeq, violationSeq, flags.window);
  const fromSeq = flags.from ?? 0;
  const toSeq = Math.min(flags.to ?? lastSeq, lastSeq);
  if (flags.from !== undefined && flags.to !== undefined && flags.from > flags.to) throw new UsageError(`--from ${fromSeq} is after --to ${flags.to}`);
  if (fromSeq > lastSeq) throw new UsageError(`--from ${fromSeq} is past the last record (${lastSeq}, by ${whose})`);
  return { fromSeq, toSeq };
}

/** The page's facts: the counted figures where the replay counted them, the end line's (said so) where it stopped early. */
function metaOf(header: TraceHeader, end: TraceEnd, scenario: Scenario, claimed: Counted, counted: Counted | null, range: SeqRange): Args {
  const facts = counted ?? claimed;
  const first = facts.firstViolation;
  const unverified = counted === null ? ` (the end line's; replayed up to record ${range.toSeq})` : '';
  return {
    scenario: scenario.name, seed: header.seed, steps: end.steps, strategy: header.strategy, handles: header.config.handleMode,
    records: unverified === '' ? facts.records : `${facts.records}${unverified}`,
    ...(end.stepTimesStride !== undefined ? { 'step times': `sampled every ${end.stepTimesStride} steps` } : {}),
    ...(first !== null ? { 'first violation': `${first.kind} at record ${first.seq}${unverified}` } : {}),
    ...(counted !== null && !sameCounts(claimed, counted) ? { 'the end line claims': `${claimed.records} records, ${violationText(claimed.firstViolation)}` } : {}),
  };
}

function entryNames(scenario: Scenario): (device: number, entry: number) => string | undefined {
  return (device, entry) => {
    const spec = scenario.devices[device];
    const name = spec?.entries?.[entry];
    return spec !== undefined && name !== undefined ? `${spec.name}.${name}` : undefined;
  };
}
