/**
 * Memory outside the JavaScript heap (Buffers, typed arrays) counts against no thread's heap
 * limit: a module that kept allocating them took the process to 8 GB while it loaded, and a
 * device that kept them took a run to 6 GB with no word from vmmsim (an outside audit). The
 * process's resident memory is bounded (VMMSIM_MEMORY_BOUND_MB, src/shared/memoryBound.ts): one
 * line that says memory, and the exit code of the stage it happened in.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryBoundMb } from '../../src/shared/memoryBound.js';
import { runCliInChild } from '../support/cliChild.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-memory-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runInChild = (args: string[], env: Record<string, string>) => runCliInChild(args, env, dir);

// Filled, so every page is resident (a zero-filled allocation may not be).
const KEEPS_BUFFERS_AT_LOAD = 'const kept = []; for (;;) kept.push(Buffer.alloc(64 * 1024 * 1024, 1));\nexport default {};\n';
const KEEPS_BUFFERS_IN_DEVICE = `const kept = [];
const leak = { name: 'leak', state: () => ({}), entries: ['keep'], procs: { keep() { kept.push(Buffer.alloc(2 * 1024 * 1024, 1)); } } };
export default { name: 'leak', vms: 2, devices: [leak], mix: { run: 1, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 } };
`;

describe('memory outside the JavaScript heap', () => {
  it('a module that keeps Buffers while it loads: one line, exit 2, at the load probe\'s 1024 MB', async () => {
    const path = join(dir, 'buffersAtLoad.mjs');
    writeFileSync(path, KEEPS_BUFFERS_AT_LOAD);
    // A load bound far beyond what the test waits: memory must be what ends it, not time.
    const result = await runInChild(['run', '--runtime', 'sim', '--steps', '20', '--no-trace', '--scenario', path], { VMMSIM_LOAD_BOUND_MS: '600000' });
    expect(result).toEqual({ code: 2, stderr: 'vmmsim: cannot load scenario buffersAtLoad.mjs: it used more than 1024 MB of memory while loading (an allocation without end at its top level?)\n' });
  }, 180_000);

  const LINE = (bound: number, lead: string): RegExp =>
    new RegExp(`^vmmsim: ${lead}the process's resident memory reached \\d+ MB, past its bound of ${bound} MB \\(VMMSIM_MEMORY_BOUND_MB\\): scenario or device code that keeps allocating Buffers, typed arrays or other memory outside the JavaScript heap\\?\\n$`);

  it.each([
    ['run --runtime sim', ['run', '--runtime', 'sim', '--steps', '100000000', '--no-trace'], 'the run ran out of memory: '],
    ['explore', ['explore', '--iterations', '1000000', '--out', join(dir, 'out')], 'the explore ran out of memory: '],
    ['run --runtime threads', ['run', '--runtime', 'threads', '--duration', '120', '--no-trace'], 'actor vmm failed: OutOfMemory: '],
  ])('device code that keeps Buffers (%s): one line that says memory, exit 3', async (_name, args, lead) => {
    const path = join(dir, 'buffersInDevice.mjs');
    writeFileSync(path, KEEPS_BUFFERS_IN_DEVICE);
    const command = args[0] === 'explore' ? ['explore', path, ...args.slice(1)] : [...args, '--scenario', path];
    const result = await runInChild(command, { VMMSIM_MEMORY_BOUND_MB: '800' });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(LINE(800, lead));
  }, 180_000);

  it('a bound that is no whole number of megabytes from 64: one line, exit 2, before any work', async () => {
    for (const value of ['abc', '63', '-5', '1e3']) {
      const result = await runInChild(['run', '--runtime', 'sim', '--steps', '5', '--no-trace'], { VMMSIM_MEMORY_BOUND_MB: value });
      expect(result).toEqual({ code: 2, stderr: `vmmsim: VMMSIM_MEMORY_BOUND_MB must be a whole number of megabytes from 64 to 1048576, got '${value}'\n` });
    }
  }, 180_000);

  it('the default bound: half the machine\'s memory, at most 8 GB; a setting in range is taken as it is', () => {
    expect(memoryBoundMb(undefined)).toBeGreaterThanOrEqual(64);
    expect(memoryBoundMb(undefined)).toBeLessThanOrEqual(8192);
    expect(memoryBoundMb('900')).toBe(900);
    expect(memoryBoundMb('63')).toBe(memoryBoundMb(undefined));
  });
});
