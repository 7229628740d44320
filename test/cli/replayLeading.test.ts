/**
 * `vmmsim replay` of a threaded run shows the records leading to its first violation (the
 * replay keeps the last --context records as they stream by, up to the violation).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = resolve('bin/vmmsim.js');
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-replay-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('replay of a threaded trace with a violation', () => {
  it('lists the records up to and including the first violation', () => {
    const trace = join(dir, 'leaky.json');
    // The leaky modem cancels a stale handle within its first few hundred records.
    spawnSync(process.execPath, [BIN, 'run', '--runtime', 'threads', '--scenario', 'test/trace/fixtures/leakyModem.ts', '--duration', '1', '--trace', trace], childBound());
    const run = spawnSync(process.execPath, [BIN, 'replay', trace, '--context', '6', '--json'], { encoding: 'utf8', ...childBound() });
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { runtime: string; reproduced: boolean; firstViolation: { seq: number }; leadingRecords: { seq: number; k: string }[] };
    expect(report.runtime).toBe('threads');
    expect(report.reproduced).toBe(true);
    const seqs = report.leadingRecords.map((r) => r.seq);
    expect(seqs).toEqual([0, 1, 2, 3, 4, 5].map((i) => report.firstViolation.seq - 5 + i));
    expect(report.leadingRecords.at(-1)!.k).toBe('violation');
    const text = spawnSync(process.execPath, [BIN, 'replay', trace, '--context', '3'], { encoding: 'utf8', ...childBound() });
    expect(text.status).toBe(1);
    expect(text.stdout).toMatch(/the 3 records leading to it:\n {4}#\d+ .*\n {4}#\d+ .*\n {4}#\d+ .* violation kind="staleCancel"/);
  }, 120_000);
});
