// Hostile drivers (examples/hostile) on worker threads, from outside the process: README "Errors
// and exit codes": device code that threw is exit 1 with the one line on stderr (was: the report
// said "CRASHED: actor vmm failed: DeviceCodeError: ..." and stderr stayed empty); a finding is
// exit 1; the trace replays exactly in the simulated runtime.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-hostile-threads-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vmmsim(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...childBound(180_000) });
}

describe('hostile drivers on threads', () => {
  it('objectRefData: STOPPED, the one line on stderr, exit 1; the trace replays to the same throw', () => {
    const trace = join(dir, 'objectRefData.json');
    const run = vmmsim(['run', '--runtime', 'threads', '--duration', '1s', '--trace', trace, '--scenario', 'examples/hostile/objectRefData.ts']);
    expect({ status: run.status, stderr: run.stderr }).toEqual({
      status: 1, stderr: expect.stringMatching(/^vmmsim: device d, procedure poke threw: scheduleGlobalEvent: refData must be a 32-bit integer \(a register\), got an object \(at .*objectRefData\.ts:\d+:\d+\)\n$/),
    });
    expect(run.stdout).toMatch(/\n {2}STOPPED: device d, procedure poke threw: scheduleGlobalEvent/);
    expect(run.stdout).not.toMatch(/CRASHED/);
    // The verdict counts only what the checker saw before the stop: it names the throw beside it.
    expect(run.stdout).toMatch(/\n {2}VMM invariants: all held up to the stop; device bugs \(broken scenario invariants included\): 0, besides the device code that threw \(STOPPED, above\)\n/);
    const replay = vmmsim(['replay', trace]);
    expect({ status: replay.status, stdout: replay.stdout }).toEqual({ status: 1, stdout: expect.stringMatching(/reproduced exactly[^]*the run ended on: device d, procedure poke threw: scheduleGlobalEvent/) });
  }, 400_000);

  it('unownedPortVmZero: invalidVmHandle, exit 1; the trace replays to it', () => {
    const trace = join(dir, 'unownedPortVmZero.json');
    const run = vmmsim(['run', '--runtime', 'threads', '--duration', '1s', '--trace', trace, '--scenario', 'examples/hostile/unownedPortVmZero.ts']);
    expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 1, stdout: expect.stringMatching(/device bug invalidVmHandle \[d\] .*passed EBX = 0x0 to Schedule_VM_Event, which is no VM/) });
    const replay = vmmsim(['replay', trace]);
    expect({ status: replay.status, stdout: replay.stdout }).toEqual({ status: 1, stdout: expect.stringMatching(/reproduced exactly[^]*invalidVmHandle/) });
  }, 400_000);
});
