// What device code prints goes to stderr (shared/commandStdout.ts), and on a worker thread it is
// written at once: a worker's own stderr stream hands its chunks to the main thread only as its
// event loop turns, so what a device printed just before it hung (a loop the watchdog ends, an
// Atomics.wait) was lost with the thread: 1 of 5,000 lines reached stderr (an outside audit). The
// same lines followed by a throw all arrived. README: "nothing is lost on a crash".
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-prints-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const LINES = 5000;
/** A device whose 200th trap prints LINES lines through `how`, then hangs with `hang`. */
const printsThenHangs = (how: string, hang: string): string => `
const hog = { name: 'hog', state: () => ({ traps: 0 }), entries: ['poke'], procs: { poke(r) {
  if (++r.state.traps !== 200) return;
  for (let i = 0; i < ${LINES}; i++) ${how}('printed before the hang ' + i);
  ${hang};
} } };
export default { name: 'prints-then-hangs', vms: 2, devices: [hog], mix: { run: 1, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 } };
`;

describe('lines device code printed on the VMM actor before it hung', () => {
  it.each([
    ['console.log, then a loop without end', 'console.log', 'for (;;) {}'],
    ['console.error, then Atomics.wait', 'console.error', 'Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0)'],
  ])('%s: every line on stderr, in order, then the watchdog\'s report (exit 3)', (_name, how, hang) => {
    const path = join(dir, `${how}.mjs`);
    writeFileSync(path, printsThenHangs(how, hang));
    const run = spawnSync(process.execPath, [BIN, 'run', '--runtime', 'threads', '--duration', '60', '--watchdog', '1s', '--no-trace', '--scenario', path], { encoding: 'utf8', ...childBound(150_000) });
    expect(run.status).toBe(3);
    const printed = run.stderr.split('\n').filter((line) => line.startsWith('printed before the hang '));
    expect(printed).toEqual(Array.from({ length: LINES }, (_, i) => `printed before the hang ${i}`));
    expect(run.stderr).toMatch(/\nvmmsim: actor vmm failed: DeviceHung: device hog, procedure poke has not returned /);
  }, 180_000);
});
