// Scenario code may not signal vmmsim's own process (src/shared/ownProcessSignals.ts). A device
// that called process.kill(process.pid, 'SIGTERM') was reported as the user's SIGTERM
// (INTERRUPTED, exit 130, no device named), and its replay was killed the same way, never
// reproducing (an outside audit). Now it is that procedure's throw: exit 1, named, with its
// location, and the trace replays exactly to it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-own-signals-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const module = (signal: string, target: string): string => `
const d = { name: 'd', state: () => ({ traps: 0 }), entries: ['poke'], procs: { poke(r) {
  if (++r.state.traps === 50) process.kill(${target}, '${signal}');
} } };
export default { name: 'signals-itself', vms: 2, devices: [d], mix: { run: 1, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 } };
`;

describe('device code that signals vmmsim\'s own process', () => {
  it.each([
    ['threads', 'SIGTERM', 'process.pid', ['--duration', '30']],
    ['threads', 'SIGINT', '0', ['--duration', '30']],
    ['sim', 'SIGTERM', 'process.pid', ['--steps', '100000']],
  ])('%s, %s to %s: that procedure threw (exit 1, named); the trace replays exactly to it', (runtime, signal, target, flags) => {
    const path = join(dir, `${runtime}-${signal}.mjs`);
    const trace = join(dir, `${runtime}-${signal}.json`);
    writeFileSync(path, module(signal, target));
    const run = spawnSync(process.execPath, [BIN, 'run', '--runtime', runtime, ...flags, '--trace', trace, '--scenario', path], { encoding: 'utf8', ...childBound(120_000) });
    const line = `vmmsim: device d, procedure poke threw: scenario code may not send a signal to vmmsim's own process (process.kill(${target}, "${signal}")) (at ${path}:3:`;
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: expect.stringContaining(line) });
    const replay = spawnSync(process.execPath, [BIN, 'replay', trace], { encoding: 'utf8', ...childBound(120_000) });
    expect(replay.status).toBe(1);
    expect(replay.stdout).toContain('reproduced exactly');
    expect(replay.stdout).toContain(`the run ended on: device d, procedure poke threw: scenario code may not send a signal to vmmsim's own process (process.kill(${target}, "${signal}"))`);
  }, 180_000);
});
