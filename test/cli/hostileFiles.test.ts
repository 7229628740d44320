// Files a hostile corpus holds, beyond malformed content: a named pipe where a file is expected
// (reading or writing it would block for ever), a directory, a device, a disk that fills up
// while the trace or the log is written. README "Errors and exit codes": bad input is "one line
// on stderr naming the flag or field and its value", exit 2; a runtime failure is exit 3; never
// a stack trace, never a hang.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractBreaches, runInProcess, type CliResult } from './support/inProcess.js';
import { childBound } from '../support/childBound.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-hostile-'));
const fifo = join(dir, 'pipe');
const cli = (...argv: string[]): Promise<CliResult> => runInProcess(argv);
/** /dev/full: every write fails with ENOSPC (Linux). */
const FULL = '/dev/full';

beforeAll(() => {
  expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
  mkdirSync(join(dir, 'a-directory'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function refused(result: CliResult, mentions: RegExp): void {
  expect(contractBreaches(result)).toEqual([]);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(mentions) });
}

describe('a named pipe, a directory or a device where a file is expected', () => {
  it('as a trace to read (replay, trace, shrink): exit 2, no blocking read', async () => {
    refused(await cli('replay', fifo), /^vmmsim: cannot read trace .*pipe: not a regular file \(a pipe, socket or device\)\n$/);
    refused(await cli('trace', fifo, '--format', 'html', '-o', join(dir, 'o.html')), /not a regular file/);
    refused(await cli('shrink', fifo, '-o', join(dir, 'o.json')), /not a regular file/);
    refused(await cli('replay', '/dev/zero'), /not a regular file/);
    refused(await cli('replay', join(dir, 'a-directory')), /cannot read trace .*a-directory: it is a directory/);
  });

  it('as a scenario module: exit 2, no blocking import', async () => {
    refused(await cli('run', '--runtime', 'sim', '--scenario', fifo), /^vmmsim: scenario .*pipe is not a regular file/);
    refused(await cli('explore', fifo), /is not a regular file/);
    refused(await cli('run', '--runtime', 'sim', '--scenario', join(dir, 'a-directory')), /scenario .*a-directory is a directory, not a module file/);
  });

  it('as an output (--trace, --log, -o): exit 2 before any work', async () => {
    refused(await cli('run', '--runtime', 'sim', '--trace', fifo), /^vmmsim: --trace .*pipe: is a named pipe or socket, not a file\n$/);
    refused(await cli('run', '--duration', '1s', '--log', fifo), /--log .*is a named pipe/);
    refused(await cli('shrink', join(dir, 'missing.json'), '-o', fifo), /-o .*is a named pipe/);
    refused(await cli('shrink', join(dir, 'missing.json'), '-o', join(dir, 'a-directory')), /-o .*is a directory/);
  });
});

describe.runIf(existsSync(FULL))('the disk fills up while a run writes', () => {
  it('run --runtime sim --trace /dev/full: one line naming the trace, exit 3', async () => {
    const result = await cli('run', '--runtime', 'sim', '--steps', '300', '--trace', FULL);
    expect(contractBreaches(result)).toEqual([]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 3, stderr: 'vmmsim: cannot write trace /dev/full: ENOSPC (no space left on device)\n' });
  });

  // was: "vmmsim: write failed: ENOSPC ..." (a write's error names no file); /dev/null is an output to discard.
  it('trace -o /dev/full: one line naming the file, exit 3; -o /dev/null: written and discarded, exit 0', async () => {
    const trace = join(dir, 'small.json');
    expect((await cli('run', '--runtime', 'sim', '--steps', '100', '--trace', trace)).code).toBe(0);
    const full = await cli('trace', trace, '--format', 'html', '-o', FULL);
    expect(contractBreaches(full)).toEqual([]);
    expect({ code: full.code, stderr: full.stderr }).toEqual({ code: 3, stderr: 'vmmsim: write failed for /dev/full: ENOSPC (no space left on device)\n' });
    const discarded = await cli('trace', trace, '--format', 'html', '-o', '/dev/null');
    expect({ code: discarded.code, stderr: discarded.stderr }).toEqual({ code: 0, stderr: '' });
  });

  // Written from the threads runtime's message handlers: the process-wide handler of bin/vmmsim.js.
  const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
  for (const args of [['run', '--duration', '300ms', '--trace', FULL], ['run', '--duration', '300ms', '--no-trace', '--log', FULL]]) {
    it(`vmmsim ${args.join(' ')}: one line naming the file, exit 3`, () => {
      const p = spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...childBound(120_000) });
      expect({ status: p.status, stderr: p.stderr }).toEqual({ status: 3, stderr: expect.stringMatching(/^vmmsim: cannot write (trace|log) \/dev\/full: ENOSPC \(no space left on device\); the run is ended\n$/) });
    }, 120_000);
  }
});
