import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/shared/traceFile.js';
import { childBound } from '../support/childBound.js';

/** The CLI from source (tsx), so the test needs no build. */
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const SPAWN_TIMEOUT_MS = 120_000;

function vmmsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', ...childBound() });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

interface ShrinkReport {
  out: string;
  kind: string;
  minimal: boolean;
  before: { steps: number; irqs: number; choices: number; vms: number; kind: string };
  after: { steps: number; irqs: number; choices: number; vms: number; kind: string };
}

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-shrink-'));

function replayKind(path: string): string | undefined {
  const replayed = vmmsim('replay', path, '--json');
  expect(replayed.code).toBe(1);
  const replay = JSON.parse(replayed.stdout) as { reproduced: boolean; firstViolation: { kind: string } };
  expect(replay.reproduced).toBe(true);
  return replay.firstViolation.kind;
}

describe('vmmsim shrink', () => {
  it('shrinks a trace recorded on real threads to a 1-minimal one that replays to the same violation kind', () => {
    const recorded = join(dir, 'flaky-threads.json');
    const run = vmmsim('run', '--scenario', 'examples/scenarios/flaky-driver.ts', '--duration', '1', '--trace', recorded, '--json');
    const trace = readTraceFile(recorded);
    // run exits 1 when it found a violation (the race), 0 when the run stayed clean.
    expect(run.code, run.stderr).toBe(trace.expect.firstViolation === null ? 0 : 1);
    expect(trace.runtime).toBe('threads');
    // The race shows within a second on threads (it did in every run tried); if not, nothing to shrink here.
    if (trace.expect.firstViolation === null) return;
    const out = join(dir, 'flaky-threads.min.json');
    const shrunk = vmmsim('shrink', recorded, '--json', '-o', out);
    expect(shrunk.code, shrunk.stderr).toBe(0);
    const report = JSON.parse(shrunk.stdout) as ShrinkReport;
    expect(report.out).toBe(out);
    expect(report.before.kind).toBe(trace.expect.firstViolation.kind);
    expect(report.after.kind).toBe(report.before.kind);
    expect(report.before.steps).toBe(trace.steps);
    // No fixed step bound: where the race first shows in a threaded run depends on thread timing
    // (a 1-minimal trace of one run needed 374 steps); shorter, 1-minimal, same kind is the claim.
    expect(report.after.steps).toBeLessThan(report.before.steps);
    expect(report.minimal).toBe(true);
    for (const key of ['steps', 'irqs', 'choices', 'vms'] as const) expect(typeof report.after[key]).toBe('number');
    expect(replayKind(out)).toBe(report.kind);
  }, SPAWN_TIMEOUT_MS);

  it('shrinks a trace explore wrote (already shrunk: it stays 1-minimal)', () => {
    const found = vmmsim('explore', 'examples/scenarios/flaky-driver.ts', '--strategy', 'pct', '--iterations', '500', '--out', dir, '--json');
    expect(found.code).toBe(1);
    const { trace } = JSON.parse(found.stdout) as { trace: string };
    const shrunk = vmmsim('shrink', trace, '--json');
    expect(shrunk.code).toBe(0);
    const report = JSON.parse(shrunk.stdout) as ShrinkReport;
    expect(report.out).toBe(trace.replace(/\.json$/, '.shrunk.json'));
    expect(report.after.steps).toBe(report.before.steps);
    expect(replayKind(report.out)).toBe('refillAfterStop');
    // Its three lines count the same thing, the questions the run asked, by one name (an audit
    // read "5 choices" as given and "30 choices" shrunk as two measures).
    const text = vmmsim('shrink', trace, '--out', join(dir, 'again.json'));
    const counts = [...text.stdout.matchAll(/^ {2}(as given|up to the violation|shrunk): .*?(\d+) choice points, /gm)].map((m) => m[1]);
    expect(counts).toEqual(['as given', 'up to the violation', 'shrunk']);
  }, SPAWN_TIMEOUT_MS);

  it('rejects bad input with one line on stderr and exit 2: a missing file, a malformed trace, a trace without a violation', () => {
    const malformed = join(dir, 'malformed.json');
    writeFileSync(malformed, '{"format": "vmmsim-trace", "version": 1');
    const clean = join(dir, 'clean.json');
    expect(vmmsim('run', '--runtime', 'sim', '--steps', '200', '--trace', clean, '--json').code).toBe(0);
    for (const path of [join(dir, 'missing.json'), malformed, clean]) {
      const { code, stderr, stdout } = vmmsim('shrink', path);
      expect(code, path).toBe(2);
      expect(stdout).toBe('');
      expect(stderr.trim().split('\n'), path).toHaveLength(1);
    }
  }, SPAWN_TIMEOUT_MS);
});
