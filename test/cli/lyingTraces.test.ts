// Traces that lie: well-formed line-delimited JSON whose header does not match its body, whose
// hash or verdict does not match its run, with lines reordered, duplicated, removed or cut off at
// every position, numbers out of range, types swapped, unknown kinds, another scenario's header,
// another format version (support/lyingTraces.ts makes them from two recorded traces, seeded).
// README "Errors and exit codes": a trace "cut off, of another format version, or with any field
// of the wrong type or range" is bad input, exit 2, one line; "Replay compares every checkpoint,
// the final hash and record count, the choices left over, and how the run ended: a tampered
// trace ... is a divergence, exit 1, never 'reproduced exactly'". Never a stack trace, never a hang.
import '../../examples/zoo/index.js';
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '../../src/actors/sim/simulate.js';
import { replayCommand } from '../../src/cli/commands/replay.js';
import { traceCommand } from '../../src/cli/commands/trace.js';
import { replayTraceFile } from '../../src/actors/sim/replay.js';
import { scanTrace, type TraceEnd, type TraceHeader } from '../../src/shared/traceFile.js';
import { useInterruptFlag } from '../../src/cli/interrupt.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioRef } from '../../src/shared/trace.js';
import { writeTraceFile } from '../../src/shared/traceFile.js';
import { contractBreaches, runInProcess, withCapturedOutput, type CliResult } from './support/inProcess.js';
import { lyingTraces, type LyingTrace } from './support/lyingTraces.js';
import { childBound } from '../support/childBound.js';

const SEED = Number(process.env.LYING_SEED ?? 7);
/** Random edits per recorded trace, beside the fixed cases (~120 each). */
const RANDOM_CASES = Number(process.env.LYING_RANDOM ?? 60);
/** A replay of a 600-step trace takes well under a second; a lie must not make it take longer than this. */
const BOUND_MS = 20_000;
const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));

let dir = '';
const recorded: Record<string, string> = {};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-lying-'));
  // A run of the default scenario with no violation, written by the command line.
  const made = await runInProcess(['run', '--runtime', 'sim', '--steps', '600', '--trace', join(dir, 'default.json')]);
  expect(made.code).toBe(0);
  recorded.default = readFileSync(join(dir, 'default.json'), 'utf8');
  // A run of a zoo bug that shows its violation (seed 1 finds it within 600 steps).
  const ref: ScenarioRef = { kind: 'zoo', name: 'stale-handle', fixed: false };
  const { result, trace } = simulate({ scenario: await loadScenario(ref), scenarioRef: ref, seed: 1, steps: 600, config: { handleMode: 'checked', latitude: false } });
  expect(result.firstViolation).not.toBeNull();
  writeTraceFile(join(dir, 'violating.json'), trace);
  recorded.violating = readFileSync(join(dir, 'violating.json'), 'utf8');
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * A replay in this process with a wall-clock bound: a worker thread raises the interrupt flag the
 * replay polls between steps once `boundMs` have passed (the replay itself never yields), so a
 * replay that would run for ever stops, exit 130, and is reported as a hang.
 */
class Deadline {
  private readonly words = new Int32Array(new SharedArrayBuffer(8));
  private readonly worker: Worker;

  constructor(boundMs: number) {
    // words[0]: the interrupt flag; words[1]: odd while a replay runs, bumped at its start and end.
    this.worker = new Worker(`
      const { workerData } = require('node:worker_threads');
      const w = new Int32Array(workerData.sab);
      for (;;) {
        const g = Atomics.load(w, 1);
        if (g % 2 === 0) { Atomics.wait(w, 1, g); continue; }
        if (Atomics.wait(w, 1, g, workerData.boundMs) === 'timed-out') Atomics.store(w, 0, 1);
        while (Atomics.load(w, 1) === g) Atomics.wait(w, 1, g);
      }`, { eval: true, workerData: { sab: this.words.buffer, boundMs } });
    this.worker.unref();
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    Atomics.store(this.words, 0, 0);
    useInterruptFlag(this.words.subarray(0, 1));
    Atomics.add(this.words, 1, 1);
    Atomics.notify(this.words, 1);
    try {
      return await work();
    } finally {
      Atomics.add(this.words, 1, 1);
      Atomics.notify(this.words, 1);
      useInterruptFlag(new Int32Array(1));
    }
  }

  stop(): Promise<number> {
    return this.worker.terminate();
  }
}

/** `vmmsim replay <path>` in this process, its output captured, errors told as main() tells them. */
function replayHere(path: string, deadline: Deadline): Promise<CliResult> {
  return commandHere(() => replayCommand(path, { json: false, context: 5 }), deadline);
}

/** A command in this process under the deadline, its output captured, errors told as main() tells them. */
async function commandHere(command: () => Promise<number>, deadline: Deadline): Promise<CliResult> {
  const { value, ...output } = await withCapturedOutput(async (addToStderr): Promise<CliResult['code']> => {
    try {
      return await deadline.run(command);
    } catch (error) {
      const e = error as Error;
      if (e.name === 'UsageError' || e.name === 'ScenarioError') {
        addToStderr(`vmmsim: ${e.message.split('\n')[0]}\n`);
        return 2;
      }
      addToStderr(`vmmsim: internal error: ${e.stack ?? String(e)}\n`);
      return 70;
    }
  });
  // Interrupted by the deadline: it would have run on.
  return { code: value === 130 ? 'hang' : value, ...output };
}

/** What the case's replay claims about the run, against what the file is (a faithful replay of the run exits `reproducedCode`). */
function claimBreaches(c: LyingTrace, result: CliResult, reproducedCode: number): string[] {
  const breaches: string[] = [];
  const reproduced = /^ {2}reproduced exactly: /m.test(result.stdout);
  const diverged = /^ {2}DIVERGED: /m.test(result.stdout);
  if (c.same) {
    if (!reproduced) breaches.push('not reproduced');
    if (result.code !== (c.code ?? reproducedCode)) breaches.push(`exit ${result.code}, expected ${c.code ?? reproducedCode}`);
  } else {
    if (reproduced) breaches.push('claims "reproduced exactly"');
    if (result.code === 1 && !diverged) breaches.push('exit 1 without saying where it diverged');
    if (result.code !== 1 && result.code !== 2) breaches.push(`exit ${result.code}, expected 1 (diverged) or 2 (refused)`);
  }
  return breaches;
}

describe('lying traces replayed', () => {
  for (const source of ['default', 'violating'] as const) {
    it(`from the ${source} run: exit code, one line, no stack trace, bounded, and every claim true (seed ${SEED})`, async () => {
      const deadline = new Deadline(BOUND_MS);
      const failures: string[] = [];
      const byCode: Record<string, number> = {};
      let offered = 0;
      const cases = lyingTraces(recorded[source]!, SEED, RANDOM_CASES);
      try {
        for (const [i, c] of cases.entries()) {
          const path = join(dir, `${source}-${i}.json`);
          writeFileSync(path, c.text);
          const result = await replayHere(path, deadline);
          byCode[String(result.code)] = (byCode[String(result.code)] ?? 0) + 1;
          const breaches = [...contractBreaches(result), ...claimBreaches(c, result, source === 'violating' ? 1 : 0)];
          // The drawing command a diverged replay offers must draw (an outside audit: a replay
          // that ran out of answers offered one that could only say "cannot draw").
          if (/^ {2}DIVERGED: /m.test(result.stdout) && /^ {2}see it: /m.test(result.stdout)) {
            offered++;
            const drawn = await drawHere(path, join(dir, `offered-${source}-${i}.html`), {}, deadline);
            if (/cannot draw/.test(drawn.stderr)) breaches.push(`offers a drawing that cannot be made: ${drawn.stderr.trim()}`);
          }
          if (breaches.length > 0) failures.push(`${c.name}: ${breaches.join(', ')}: ${(result.stderr || result.stdout).slice(0, 300)}`);
          rmSync(path);
        }
      } finally {
        await deadline.stop();
      }
      expect(failures).toEqual([]);
      expect(cases.length).toBeGreaterThan(150);
      // The corpus reaches every outcome: reproduced (exit 0, or 1 with the recorded violation), diverged, refused.
      expect(Object.keys(byCode).sort()).toEqual(expect.arrayContaining([source === 'violating' ? '1' : '0', '1', '2']));
      if (source === 'violating') expect(offered).toBeGreaterThan(0);
    }, 600_000);
  }
});

/** `vmmsim trace <path> --format html` in this process, errors told as main() tells them. */
function drawHere(path: string, output: string, extra: { window?: number }, deadline: Deadline): Promise<CliResult> {
  return commandHere(() => traceCommand(path, { format: 'html', output, ...extra }), deadline);
}

/** What the file's replay makes, counted here record by record (null: it cannot be replayed at all). */
async function countedReplay(path: string): Promise<{ records: number; firstViolation: { kind: string; seq: number } | null; claimed: number } | null> {
  let header: TraceHeader;
  let end: TraceEnd;
  try {
    ({ header, end } = scanTrace(path));
  } catch {
    return null;
  }
  let records = 0;
  let firstViolation: { kind: string; seq: number } | null = null;
  try {
    const { result } = replayTraceFile(path, header, end, await loadScenario(header.scenario), false, {
      onRecord: (r) => {
        records++;
        if (r.k === 'violation' && firstViolation === null) firstViolation = { kind: r.kind, seq: r.seq };
      },
    });
    if (result === null) return null;
  } catch {
    return null;
  }
  return { records, firstViolation, claimed: end.expect.records };
}

describe('lying traces drawn (vmmsim trace)', () => {
  // "vmmsim trace" states the records it drew and the violations among them: what the replay of
  // the file counted, whatever the end line claims; where the end line disagrees, it says both.
  for (const source of ['default', 'violating'] as const) {
    it(`from the ${source} run: the drawing and its summary hold the counted totals, and name the end line's when they differ (seed ${SEED})`, async () => {
      const deadline = new Deadline(BOUND_MS);
      const failures: string[] = [];
      let disagreeing = 0;
      let drawnDiverged = 0;
      const cases = lyingTraces(recorded[source]!, SEED, RANDOM_CASES);
      try {
        for (const [i, c] of cases.entries()) {
          const path = join(dir, `draw-${source}-${i}.json`);
          const html = join(dir, `draw-${source}-${i}.html`);
          writeFileSync(path, c.text);
          const result = await drawHere(path, html, source === 'violating' && i % 2 === 1 ? { window: 40 } : {}, deadline);
          // Drawn: exit 0, or 1 when the replay parted from the recording (the page then says so).
          const drawn = (result.code === 0 || result.code === 1) && existsSync(html);
          const counted = drawn ? await countedReplay(path) : null;
          const breaches = contractBreaches(result);
          // A stretch (--window) once stopped its replay by throwing out of the record sink, inside device code: a false divergence warning.
          if (c.same && result.stderr !== '') breaches.push('a warning about a faithful trace');
          // A replay that parted from the recording draws the replayed run: exit 1, and the page says whose run it is.
          if (result.code === 1) {
            if (c.same) breaches.push('a faithful trace drawn as diverged');
            if (!/diverged/i.test(result.stderr)) breaches.push('exit 1 without saying the replay diverged');
            if (drawn) {
              drawnDiverged++;
              if (!readFileSync(html, 'utf8').includes('(the replay, DIVERGED from the recorded run)')) breaches.push("a diverged replay drawn under the recorded run's title");
            }
          }
          if (drawn && counted !== null) {
            const summary = /records (\d+) to (\d+), \d+ tracks, [\d,]+ events scheduled, (\d+) violations?/.exec(result.stdout);
            if (summary === null) breaches.push('no summary line');
            else if (Number(summary[2]) > counted.records - 1) breaches.push(`draws up to record ${summary[2]} of a replay that made ${counted.records}`);
            const page = readFileSync(html, 'utf8');
            // A stretch's replay stops at its last record: the total is then the end line's, and says so.
            const stretch = page.includes(`records: ${counted.claimed} (the end line&#39;s; replayed up to record`);
            if (!stretch && !page.includes(`records: ${counted.records}`)) breaches.push(`the page does not state the ${counted.records} records counted`);
            if (!stretch && counted.claimed !== counted.records) {
              disagreeing++;
              const said = `the end line claims ${counted.claimed.toLocaleString('en-US')} records; the file's replay made ${counted.records.toLocaleString('en-US')}`;
              if (!result.stdout.includes(said)) breaches.push(`does not say "${said}"`);
            }
            if (!stretch && counted.firstViolation !== null && !page.includes(`${counted.firstViolation.kind} at record ${counted.firstViolation.seq}`)) {
              breaches.push(`the page does not name the first violation the replay found (${counted.firstViolation.kind} at record ${counted.firstViolation.seq})`);
            }
          }
          if (breaches.length > 0) failures.push(`${c.name}: ${breaches.join(', ')}: ${result.stdout.slice(0, 300)} ${result.stderr.slice(0, 300)}`);
          rmSync(path);
          rmSync(html, { force: true });
        }
      } finally {
        await deadline.stop();
      }
      expect(failures).toEqual([]);
      // The corpus holds end lines that claim another total than the file's replay makes.
      expect(disagreeing).toBeGreaterThan(0);
      // And, where the run is long enough to have checkpoints (the violating one), traces whose
      // replay parts from the recording after it began (a checkpoint differs), drawn as such.
      if (source === 'violating') expect(drawnDiverged).toBeGreaterThan(0);
    }, 600_000);
  }
});

describe('a sample as separate processes (vmmsim replay, vmmsim trace)', () => {
  /** Files that are no trace at all, made here; the rest are cases of the generator by name. */
  function specialFiles(): Record<string, string> {
    const p = (name: string): string => join(dir, name);
    writeFileSync(p('gzipped.json.gz'), gzipSync(recorded.default!));
    writeFileSync(p('binary.bin'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 151 + 7) % 256)));
    // 1 GB, sparse: zeros with no newline (a reader that held a whole line would hold a gigabyte).
    const sparse = openSync(p('sparse.json'), 'w');
    ftruncateSync(sparse, 1024 ** 3);
    closeSync(sparse);
    // A valid trace, then 1 GB of zeros after its end line.
    const trailing = openSync(p('trailing.json'), 'w');
    writeSync(trailing, recorded.default!);
    ftruncateSync(trailing, 1024 ** 3);
    closeSync(trailing);
    expect(spawnSync('mkfifo', [p('fifo')]).status).toBe(0);
    return { gzipped: p('gzipped.json.gz'), binary: p('binary.bin'), sparse: p('sparse.json'), trailing: p('trailing.json'), fifo: p('fifo'), directory: dir };
  }

  it('each ends with its exit code and one line, never a stack trace or a hang', () => {
    const files = specialFiles();
    const cases = lyingTraces(recorded.default!, SEED, 0);
    const named = (name: string): string => {
      const c = cases.find((x) => x.name === name);
      expect(c, name).toBeDefined();
      const path = join(dir, `sample-${name.replace(/\W+/g, '-')}.json`);
      writeFileSync(path, c!.text);
      return path;
    };
    // [argv, exit code, stderr fragment (2: the one line) or stdout fragment (1)]
    const SAMPLE: [string[], number, RegExp][] = [
      [['replay', files.gzipped], 2, /is not a vmmsim trace: not UTF-8 text$/],
      [['replay', files.binary], 2, /is not a vmmsim trace: (not UTF-8 text|line 1: not JSON)$/],
      [['replay', files.sparse], 2, /is not a vmmsim trace: a line longer than 4194304 bytes$/],
      [['replay', files.trailing], 2, /is not a vmmsim trace: (line 9: text after the end line|a line longer than 4194304 bytes)$/],
      [['replay', files.fifo], 2, /not a regular file \(a pipe, socket or device\)$/],
      [['replay', files.directory], 2, /it is a directory$/],
      // Both ran for ever (a choice run of 2^31 repeats and steps near 2^53): the first checkpoint that differs ends them.
      [['replay', named('huge steps, no checkpoints, a billion choices')], 1, /DIVERGED: checkpoint 0 \(record 1024\) differs from the trace's/],
      [['replay', named('choices: the first run with huge steps to go')], 1, /DIVERGED: checkpoint 0 \(record 1024\) differs from the trace's/],
      [['trace', named('huge steps, no checkpoints, a billion choices'), '--format', 'html', '-o', join(dir, 'huge.html')], 1, /the replay DIVERGED from the recorded run: checkpoint 0 \(record 1024\) differs/],
      // Was "reproduced exactly": the end line's scenario replaced the header's unseen.
      [['replay', named('header scenario: a zoo entry')], 2, /line 8: scenario: the end line names the built-in "default" \(4 VMs\), the header the zoo's "stale-handle"$/],
      [['replay', named('end a violation that never was')], 1, /DIVERGED: the trace's first violation is vmm violation handleLeak at record 5 where the replay found no violation/],
      [['trace', named('end a violation past the end'), '--format', 'html', '--window', '10', '-o', join(dir, 'w.html')], 2, /expect\.firstViolation\.seq = 1099511627776: past the run's last record/],
      [['replay', named('version 12'.replace(/^/, 'header '))], 2, /is a vmmsim trace of format version 12; this vmmsim reads versions 11 only/],
    ];
    const failures: string[] = [];
    for (const [argv, code, fragment] of SAMPLE) {
      const p = spawnSync(process.execPath, [BIN, ...argv], { encoding: 'utf8', ...childBound(60_000) });
      const result: CliResult = { code: p.status ?? 'hang', stdout: p.stdout, stderr: p.stderr, ms: 0 };
      const breaches = contractBreaches(result);
      if (p.status !== code) breaches.push(`exit ${p.status ?? p.signal}, expected ${code}`);
      if (!fragment.test(code === 2 ? p.stderr.trimEnd() : `${p.stdout}${p.stderr}`)) breaches.push(`output does not match ${fragment}`);
      if (breaches.length > 0) failures.push(`vmmsim ${argv.join(' ')}: ${breaches.join(', ')}: ${(p.stderr || p.stdout).slice(0, 300)}`);
    }
    expect(failures).toEqual([]);
  }, 600_000);
});
