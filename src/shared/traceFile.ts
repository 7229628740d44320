/**
 * The trace on disk (format version 2): line-delimited JSON, written as the run goes and read
 * as a stream, so neither side holds more than a line or two however long the run was.
 *
 *   {"format":"vmmsim-trace","version":2,"runtime":…,"scenario":…,"seed":…,"config":…,"strategy":…}
 *   {"t":"choices","runs":[kind,value,repeat, kind,value,repeat, …]}   in order, any number
 *   {"t":"checkpoints","hashes":["…",…]}                               in order, any number
 *   {"t":"stepTimes","us":[…]}                                         threads only
 *   {"t":"workload","vm":…,"ops":[…]}                                  a shrunk trace: a VM's explicit ops
 *   {"t":"end","steps":…,"scenario"?:…,"actorFailed"?:…,"cut"?:true,"expect":{traceHash,records,invariantsOk,firstViolation,fault}}
 *
 * The end line may name the scenario again (a threaded run knows where its VM lifecycle fell only
 * at the end); it then replaces the header's. `actorFailed` says why a threaded run's trace ends
 * where it does when a worker actor crashed or exited: not a fault of the simulated machine, so
 * nothing a replay reproduces, but what the replay's reader needs to know. `cut` says the run
 * stopped before its end (its last chunk came before the shutdown): the replay does not shut
 * down either.
 *
 * A file ending before its "end" line (a killed process, a cut-off copy) is malformed. Every
 * line is checked against its schema (zod) before use; so is every value in it.
 */
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';
import { errnoText } from './errnoText.js';
import { makeDirs } from './makeDirs.js';
import { dirname } from 'node:path';
import { z } from 'zod';
import { endLineProblem } from './traceEndLine.js';
import { ActorFailureSchema, ChoiceRunSchema, TraceFileSchema, HashSchema, RunConfigSchema, ScenarioRefSchema, TRACE_VERSION, TRACE_VERSIONS_READ, TraceExpectSchema, WorkloadOpsSchema, WorkloadVmSchema, type TraceFile } from './trace.js';
import { traceReadsStopped, TraceReadStopped } from './traceReadStop.js';
export type { ActorFailure } from './trace.js';

/** Values per line: keeps every line short (a reader never holds a long one). */
const VALUES_PER_LINE = 12_000;
/** The longest line a reader accepts: a longer one is not a vmmsim trace. */
const LINE_BYTES_MAX = 4 * 1024 * 1024;
const READ_BYTES = 1024 * 1024;

export const TraceHeaderSchema = z.object({
  format: z.literal('vmmsim-trace'),
  version: TraceFileSchema.shape.version,
  runtime: z.enum(['sim', 'threads']),
  scenario: ScenarioRefSchema,
  seed: z.number().int().min(-(2 ** 31)).max(2 ** 32 - 1),
  config: RunConfigSchema,
  strategy: z.string().max(100),
  command: z.string().max(100_000).optional(),
  /** The directory the run started in, absolute: where a relative scenario path was given from. */
  cwd: z.string().max(4096).optional(),
});
export type TraceHeader = z.infer<typeof TraceHeaderSchema>;

const FlatRuns = z.array(z.number()).refine((a) => a.length % 3 === 0, 'a multiple of 3 numbers').superRefine((flat, ctx) => {
  for (let i = 0; i < flat.length; i += 3) {
    const run = ChoiceRunSchema.safeParse([flat[i], flat[i + 1], flat[i + 2]]);
    if (!run.success) {
      ctx.addIssue({ code: 'custom', message: `choice run ${i / 3} [${flat[i]}, ${flat[i + 1]}, ${flat[i + 2]}]: ${run.error.issues[0]?.message}` });
      return;
    }
  }
});

export const TraceBodyLineSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('choices'), runs: FlatRuns }),
  z.object({ t: z.literal('checkpoints'), hashes: z.array(HashSchema) }),
  z.object({ t: z.literal('stepTimes'), us: z.array(z.number().nonnegative()) }),
  z.object({ t: z.literal('workload'), vm: WorkloadVmSchema, ops: WorkloadOpsSchema }),
  z.object({
    t: z.literal('end'), steps: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER), scenario: ScenarioRefSchema.optional(),
    /** Steps between two step times (a long run's are sampled); 1 when absent. */
    stepTimesStride: z.number().int().positive().optional(),
    actorFailed: ActorFailureSchema.optional(),
    /** The run was cut before its end (an actor failed, a procedure hung): it never shut down, nor does its replay. */
    cut: z.literal(true).optional(),
    expect: TraceExpectSchema.omit({ checkpoints: true }),
  }),
]);
export type TraceBodyLine = z.infer<typeof TraceBodyLineSchema>;
export type TraceEnd = Extract<TraceBodyLine, { t: 'end' }>;
export type TraceLine = { t: 'header'; header: TraceHeader } | TraceBodyLine;

/** Not a readable trace: one line for the user (exit 2). */
export class TraceFormatError extends Error {
  override readonly name = 'TraceFormatError';
}

/** A trace could not be written (disk full, an I/O error): a runtime failure (exit 3), one line. */
export class TraceWriteError extends Error {
  override readonly name = 'TraceWriteError';
}

function writeFailure(path: string, error: unknown): TraceWriteError {
  return new TraceWriteError(`cannot write trace ${path}: ${errnoText(error)}`);
}

/** Writes a trace line by line as a run goes (synchronously: a crash loses nothing written). */
export class TraceWriter {
  private fd: number | null = null;

  constructor(readonly path: string, header: TraceHeader) {
    try {
      makeDirs(dirname(path));
      this.fd = openSync(path, 'w');
    } catch (error) {
      throw writeFailure(path, error);
    }
    // Where the run started, so that its relative scenario path is found from anywhere on this machine (cli/traceScenario.ts).
    this.line({ ...header, cwd: header.cwd ?? process.cwd() });
  }

  choices(flatRuns: readonly number[]): void {
    for (let i = 0; i < flatRuns.length; i += VALUES_PER_LINE) this.line({ t: 'choices', runs: flatRuns.slice(i, i + VALUES_PER_LINE) });
  }
  checkpoints(hashes: readonly string[]): void {
    for (let i = 0; i < hashes.length; i += VALUES_PER_LINE) this.line({ t: 'checkpoints', hashes: hashes.slice(i, i + VALUES_PER_LINE) });
  }
  /** One VM's explicit ops, whole (a shrunk trace's workload is a handful of ops). */
  workload(vm: number, ops: readonly number[]): void {
    this.line({ t: 'workload', vm, ops });
  }
  stepTimes(us: readonly number[]): void {
    for (let i = 0; i < us.length; i += VALUES_PER_LINE) this.line({ t: 'stepTimes', us: us.slice(i, i + VALUES_PER_LINE) });
  }
  end(end: Omit<TraceEnd, 't'>): void {
    this.line({ t: 'end', ...end });
    this.close();
  }
  close(): void {
    const fd = this.fd;
    this.fd = null;
    if (fd !== null) closeSync(fd);
  }

  private line(value: unknown): void {
    if (this.fd === null) throw new Error(`trace ${this.path} is closed`);
    try {
      writeSync(this.fd, `${JSON.stringify(value)}\n`);
    } catch (error) {
      // The file stays as far as it got (a replay says where it stops); no further line is tried.
      this.close();
      throw writeFailure(this.path, error);
    }
  }
}

/** A whole in-memory trace written as a file. */
export function writeTraceFile(path: string, trace: TraceFile): void {
  const { format, version, runtime, scenario, seed, config, strategy, command, cwd } = trace;
  const writer = new TraceWriter(path, { format, version, runtime, scenario, seed, config, strategy, ...(command !== undefined ? { command } : {}), ...(cwd !== undefined ? { cwd } : {}) });
  writer.choices(trace.choices.flat());
  writer.checkpoints(trace.expect.checkpoints);
  if (trace.stepTimesUs !== undefined) writer.stepTimes(trace.stepTimesUs);
  for (const [vm, ops] of trace.workload ?? []) writer.workload(vm, ops);
  const { checkpoints: _checkpoints, ...expect } = trace.expect;
  writer.end({
    steps: trace.steps, ...(trace.stepTimesStride !== undefined ? { stepTimesStride: trace.stepTimesStride } : {}),
    ...(trace.actorFailed !== undefined ? { actorFailed: trace.actorFailed } : {}), ...(trace.cut === true ? { cut: true as const } : {}), expect,
  });
}

/**
 * The lines of a trace file, each validated, in order; the header first, the end last.
 * `stoppable`: false for a reader a replay consumes as it steps (it polls the stop itself).
 */
export function* readTraceLines(path: string, stoppable = true): Generator<TraceLine> {
  let lineNo = 0;
  let sawEnd = false;
  let header: TraceHeader | null = null;
  for (const text of fileLines(path)) {
    if (stoppable && traceReadsStopped()) throw new TraceReadStopped(path);
    lineNo++;
    if (sawEnd) throw new TraceFormatError(`${path} is not a vmmsim trace: line ${lineNo}: text after the end line`);
    // Every line the writer finishes ends in a newline: one without, last in the file, is a write
    // cut short (a full disk, a killed process). Said so, as a trace with no end line is.
    if (text.endsWith(UNTERMINATED) && header !== null) {
      throw new TraceFormatError(`${path} is not a vmmsim trace: it stops in the middle of line ${lineNo}, before its end line (cut off: a full disk, or a process killed while it wrote?)`);
    }
    const line = parseLine(path, lineNo, text.endsWith(UNTERMINATED) ? text.slice(0, -1) : text);
    if (line.t === 'header') header = line.header;
    if (line.t === 'end') {
      sawEnd = true;
      const problem = endLineProblem(line, header);
      if (problem !== null) throw new TraceFormatError(`${path} is not a vmmsim trace: line ${lineNo}: ${problem}`);
    }
    yield line;
  }
  if (lineNo === 0) throw new TraceFormatError(`${path} is not a vmmsim trace: ${statSync(path).size === 0 ? 'the file is empty' : 'the file holds only blank lines'}`);
  if (!sawEnd) throw new TraceFormatError(`${path} is not a vmmsim trace: it stops before its end line (cut off?)`);
}

/** The same lines for an async consumer (timelines, shrinking): for await (const line of traceLines(path)). */
export async function* traceLines(path: string): AsyncGenerator<TraceLine> {
  for (const line of readTraceLines(path)) {
    yield line;
    // Let the event loop run between lines (a long trace must not starve it).
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** The header and end of a trace, every line checked on the way (one pass, bounded memory). */
export function scanTrace(path: string): { header: TraceHeader; end: TraceEnd; checkpoints: number } {
  let header: TraceHeader | null = null;
  let end: TraceEnd | null = null;
  let checkpoints = 0;
  for (const line of readTraceLines(path)) {
    if (line.t === 'header') header = line.header;
    else if (line.t === 'end') end = line;
    else if (line.t === 'checkpoints') checkpoints += line.hashes.length;
  }
  const h = end!.scenario !== undefined ? { ...header!, scenario: end!.scenario } : header!;
  return { header: h, end: end!, checkpoints };
}

/** A whole trace in memory (for drawing a run, whose records are in memory anyway). */
export function readTraceFile(path: string): TraceFile {
  let header: TraceHeader | null = null;
  const choices: [number, number, number][] = [];
  const checkpoints: string[] = [];
  const stepTimesUs: number[] = [];
  const workload: [number, number[]][] = [];
  let end: TraceEnd | null = null;
  for (const line of readTraceLines(path)) {
    switch (line.t) {
      case 'header': header = line.header; break;
      case 'choices': for (let i = 0; i < line.runs.length; i += 3) choices.push([line.runs[i]!, line.runs[i + 1]!, line.runs[i + 2]!]); break;
      case 'checkpoints': for (const h of line.hashes) checkpoints.push(h); break;
      case 'stepTimes': for (const t of line.us) stepTimesUs.push(t); break;
      case 'workload': workload.push([line.vm, line.ops]); break;
      case 'end': end = line; break;
    }
  }
  const h = header!;
  return {
    format: h.format, version: h.version, runtime: h.runtime, scenario: end!.scenario ?? h.scenario, seed: h.seed, steps: end!.steps, config: h.config,
    strategy: h.strategy, choices, expect: { ...end!.expect, checkpoints },
    ...(stepTimesUs.length > 0 ? { stepTimesUs } : {}), ...(end!.stepTimesStride !== undefined ? { stepTimesStride: end!.stepTimesStride } : {}), ...(workload.length > 0 ? { workload } : {}), ...(h.command !== undefined ? { command: h.command } : {}), ...(h.cwd !== undefined ? { cwd: h.cwd } : {}),
    ...(end!.cut === true ? { cut: true as const } : {}),
  };
}


function parseLine(path: string, lineNo: number, text: string): TraceLine {
  const where = `${path} is not a vmmsim trace: line ${lineNo}`;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new TraceFormatError(`${where}: not JSON`);
  }
  if (lineNo === 1) {
    const version = (raw as { version?: unknown } | null)?.version;
    if ((raw as { format?: unknown } | null)?.format === 'vmmsim-trace' && !TRACE_VERSIONS_READ.includes(version as number)) {
      throw new TraceFormatError(`${path} is a vmmsim trace of format version ${JSON.stringify(version)}; this vmmsim reads versions ${TRACE_VERSIONS_READ.join(' and ')} only (record the run again)`);
    }
    return { t: 'header', header: validated(TraceHeaderSchema, raw, where) };
  }
  return validated(TraceBodyLineSchema, raw, where);
}

function validated<T>(schema: z.ZodType<T>, raw: unknown, where: string): T {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.path.join('.') || '(line)';
  throw new TraceFormatError(`${where}: ${field}: ${issue.message.split('\n')[0]}`);
}

/** An old one-line trace (version 1) is long: say what it is rather than just "too long". */
function versionNote(start: string): string {
  const version = /^\{"format":"vmmsim-trace","version":(\d+)/.exec(start)?.[1];
  return version === undefined ? '' : ` of version ${TRACE_VERSION} (it is version ${version}; record the run again)`;
}

/** The file's lines, read a block at a time (never the whole file). */
/** Appended to a last line that has no newline and is not JSON (a NUL can be in no JSON text). */
const UNTERMINATED = '\u0000';

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

function* fileLines(path: string): Generator<string> {
  let fd: number;
  try {
    // '' would name the working directory.
    if (path === '') throw new TraceFormatError('cannot read trace: the path is empty (give a trace file)');
    // Only a regular file: a named pipe or a terminal would block the read with no end.
    const s = statSync(path);
    if (s.isDirectory()) throw new TraceFormatError(`cannot read trace ${path}: it is a directory`);
    if (!s.isFile()) throw new TraceFormatError(`cannot read trace ${path}: not a regular file (a pipe, socket or device)`);
    fd = openSync(path, 'r');
  } catch (error) {
    if (error instanceof TraceFormatError) throw error;
    throw new TraceFormatError(`cannot read trace ${path}: ${errnoText(error)}`);
  }
  const block = Buffer.alloc(READ_BYTES);
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending = '';
  try {
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, block, 0, READ_BYTES, null);
      } catch (error) {
        throw new TraceFormatError(`cannot read trace ${path}: ${errnoText(error)}`);
      }
      let text: string;
      try {
        text = decoder.decode(block.subarray(0, n), { stream: n > 0 });
      } catch {
        throw new TraceFormatError(`${path} is not a vmmsim trace: not UTF-8 text`);
      }
      pending += text;
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
        const line = pending.slice(start, newline);
        start = newline + 1;
        if (line.trim() !== '') yield line;
      }
      pending = pending.slice(start);
      if (pending.length > LINE_BYTES_MAX) throw new TraceFormatError(`${path} is not a vmmsim trace${versionNote(pending)}: a line longer than ${LINE_BYTES_MAX} bytes`);
      if (n === 0) break;
    }
    // A last line with no newline: only a JSON value that parses as a whole is taken as written.
    if (pending.trim() !== '') yield isJson(pending) ? pending : `${pending}${UNTERMINATED}`;
  } finally {
    closeSync(fd);
  }
}
