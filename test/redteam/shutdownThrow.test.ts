// Device code that throws while the machine shuts down (a System_Exit handler, an end-of-run
// invariant) ends the run as a throw in a step does: that procedure named with its location,
// exit 1, the trace's fault, and a replay that shuts down too and meets it ("reproduced exactly",
// exit 1). It escaped the run loop as a bare error (an outside audit): on threads the location was
// lost, and the replay of the trace said "no violation", exit 0, of a run that had exited 1.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-shutdown-throw-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODULE = `
const d = { name: 'd', state: () => ({}), entries: ['poke'], control: { System_Exit: 'exit' }, procs: {
  poke(r) { r.currentVm(); },
  exit() { throw new Error('the card would not power down'); },
} };
export default { name: 'throws-at-exit', vms: 2, devices: [d], mix: { run: 1, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 } };
`;

describe('a throw in the shutdown', () => {
  const path = join(dir, 'throwsAtExit.mjs');
  writeFileSync(path, MODULE);
  const line = `device d, procedure exit threw: the card would not power down (at ${path}:4:`;

  it.each([
    ['sim', ['--steps', '500']],
    ['threads', ['--duration', '1']],
  ])('%s: exit 1 naming the procedure and its line; the trace replays exactly to the same end, exit 1', (runtime, flags) => {
    const trace = join(dir, `${runtime}.json`);
    const run = spawnSync(process.execPath, [BIN, 'run', '--runtime', runtime, ...flags, '--trace', trace, '--scenario', path], { encoding: 'utf8', ...childBound(120_000) });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: expect.stringContaining(`vmmsim: ${line}`) });
    const replay = spawnSync(process.execPath, [BIN, 'replay', trace], { encoding: 'utf8', ...childBound(120_000) });
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('reproduced exactly');
    expect(replay.stdout).toContain(`the run ended on: ${line}`);
  }, 180_000);

  it('explore finds it, and its trace replays exactly to it', () => {
    const out = join(dir, 'explore');
    const found = spawnSync(process.execPath, [BIN, 'explore', path, '--iterations', '10', '--out', out, '--json'], { encoding: 'utf8', ...childBound(120_000) });
    expect(found.status).toBe(1);
    const report = JSON.parse(found.stdout) as { violation: { kind: string; message: string }; trace: string; notReproduced: string | null };
    expect(report.violation.message).toContain(line);
    expect(report.notReproduced).toBeNull();
    const replay = spawnSync(process.execPath, [BIN, 'replay', report.trace], { encoding: 'utf8', ...childBound(120_000) });
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('reproduced exactly');
  }, 180_000);
});

// The other end: a throw at boot (Device_Init) on threads comes before the VMM has sent any part of
// the trace, so none is written; the report said nothing of it, and the throw had no location
// (an outside audit).
describe('a throw at boot, on threads', () => {
  it('exit 1, the procedure named with its location; the report says why no trace was written, and none is', () => {
    const path = join(dir, 'throwsAtInit.mjs');
    writeFileSync(path, MODULE.replace("System_Exit: 'exit'", "Device_Init: 'exit'").replace("'throws-at-exit'", "'throws-at-init'"));
    const trace = join(dir, 'boot.json');
    const run = spawnSync(process.execPath, [BIN, 'run', '--runtime', 'threads', '--duration', '5', '--trace', trace, '--scenario', path], { encoding: 'utf8', ...childBound(120_000) });
    expect(run.status).toBe(1);
    // With its location, as a throw in a step or in the shutdown (it had none on threads).
    expect(run.stderr).toContain(`vmmsim: device d, procedure exit threw: the card would not power down (at ${path}:4:`);
    expect(run.stdout).toContain('\n  no trace: the run failed before the VMM sent the first part of its trace (while it started: loading, booting the machine)\n');
    expect(existsSync(trace)).toBe(false);
  }, 180_000);
});
