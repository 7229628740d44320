/**
 * The README's commands on a bare machine account: no HOME, the C locale, a umask of 077, and a
 * temporary folder whose path has spaces (tsx keeps its compile cache there, the scenario and the
 * trace live there). A run writes its trace, replay reproduces it, and a `.ts` scenario that
 * imports from 'vmmsim' compiles and explores.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const RUN_MS = 120_000;
const root = mkdtempSync(join(tmpdir(), 'vmmsim-env-'));
const spaced = join(root, 'temp with spaces');
const work = join(spaced, 'work dir');
mkdirSync(work, { recursive: true });
afterAll(() => rmSync(root, { recursive: true, force: true }));

const BIN = resolve('bin/vmmsim.js');

/** The environment of a bare account: only PATH, the C locale and the spaced TMPDIR. */
function bareEnv(): Record<string, string> {
  return { PATH: process.env['PATH'] ?? '/usr/bin:/bin', LANG: 'C', LC_ALL: 'C', TMPDIR: spaced };
}

function vmmsim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  // umask is per process: set it in a shell that then becomes the command.
  return spawnSync('/bin/sh', ['-c', 'umask 077 && exec "$@"', 'sh', process.execPath, BIN, ...args], { cwd: work, env: bareEnv(), encoding: 'utf8', ...childBound() });
}

describe('no HOME, LANG=C, umask 077, TMPDIR with spaces', () => {
  it('run writes a trace only its owner can read, and replay reproduces it', () => {
    const run = vmmsim(['run', '--runtime', 'sim', '--steps', '2000', '--json', '--trace', 'a trace.json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(statSync(join(work, 'a trace.json')).mode & 0o777).toBe(0o600);
    const replay = vmmsim(['replay', 'a trace.json', '--json']);
    expect(replay.stderr).toBe('');
    expect(replay.status).toBe(0);
    const { traceHash } = JSON.parse(run.stdout) as { traceHash: string };
    expect(traceHash).toMatch(/^[0-9a-f]{16}$/);
    expect((JSON.parse(replay.stdout) as { traceHash: string }).traceHash).toBe(traceHash);
  }, RUN_MS);

  it("explores a .ts scenario that imports from 'vmmsim'", () => {
    copyFileSync('test/fixtures/libraryScenario.ts', join(work, 'my scenario.ts'));
    const explore = vmmsim(['explore', 'my scenario.ts', '--iterations', '5', '--json', '--out', 'found traces']);
    expect(explore.stderr).toBe('');
    expect(explore.status).toBe(0);
    expect(JSON.parse(explore.stdout)).toMatchObject({ scenario: 'library-user', executions: 5 });
  }, RUN_MS);
});
