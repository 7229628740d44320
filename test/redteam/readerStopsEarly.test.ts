// A reader that stops early (`vmmsim replay t.json | head -1`). README "Errors and exit codes": it
// "is not an error"; the exit code is still the command's verdict. was: exit 0 at the first
// failed write, before the command had a code, so a reproduced violation read as success under
// `set -o pipefail`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../cli/support/inProcess.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const violating = join(dir, 'violating.json');
const clean = join(dir, 'clean.json');

/** The command with its stdout's reader gone before the first write; its exit code and stderr. */
function readerGone(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const bound = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (code) => {
      clearTimeout(bound);
      done({ code, stderr });
    });
  });
}

beforeAll(async () => {
  expect((await runInProcess(['run', '--runtime', 'sim', '--trace', violating, '--scenario', 'examples/outside/staleVmEvent.ts'])).code).toBe(1);
  expect((await runInProcess(['run', '--runtime', 'sim', '--steps', '40', '--trace', clean])).code).toBe(0);
});

describe('stdout closed by its reader', () => {
  it('replay of a violation: exit 1, nothing on stderr', async () => {
    expect(await readerGone(['replay', violating])).toEqual({ code: 1, stderr: '' });
  }, 150_000);

  it('replay of a clean run: exit 0', async () => {
    expect(await readerGone(['replay', clean])).toEqual({ code: 0, stderr: '' });
  }, 150_000);

  it('explore that finds a violation, with --json: exit 1', async () => {
    expect(await readerGone(['explore', 'examples/hostile/unownedPortVmZero.ts', '--iterations', '20', '--json', '--out', dir])).toMatchObject({ code: 1 });
  }, 150_000);
});
