// What a command line's values may say, each case once an outside audit's finding (L3-L10, L12):
// README "Errors and exit codes": bad input is "one line on stderr naming the flag or field and
// its value", exit 2, before any work.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { contractBreaches, runInProcess, type CliResult } from './support/inProcess.js';
import { childBound } from '../support/childBound.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-values-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));

async function refused(argv: string[], stderr: RegExp): Promise<CliResult> {
  const result = await runInProcess(argv, 60_000);
  expect(contractBreaches(result)).toEqual([]);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(new RegExp(`^vmmsim: ${stderr.source}[^\\n]*\\n$`)) });
  return result;
}

const SIM = ['run', '--runtime', 'sim', '--steps', '20'];

describe('an option given twice (L8: commander kept the last value in silence)', () => {
  it('the same flag twice is refused, naming it', async () => {
    await refused(['run', '--runtime', 'sim', '--steps', '10', '--steps', '20', '--no-trace'], /--steps is given twice \(give it once\)/);
    await refused([...SIM, '--json', '--no-trace', '--json'], /--json is given twice/);
    // The = form and a short flag are the same option.
    await refused(['trace', 'x.json', '--format', 'html', '-o', 'a.html', '--output=b.html'], /-o, --output|--output is given twice/);
  });

  it('two flags that set one option contradict each other', async () => {
    await refused([...SIM, '--no-trace', '--trace', join(dir, 't.json')], /--no-trace and --trace contradict each other/);
    await refused([...SIM, '--trace', join(dir, 't.json'), '--no-trace'], /--trace and --no-trace contradict each other/);
    expect(existsSync(join(dir, 't.json'))).toBe(false);
  });

  it('an option that collects its values (--fault, "repeatable") may be repeated', async () => {
    const result = await runInProcess(['run', '--runtime', 'threads', '--duration', '2', '--no-trace', '--fault', 'crash:vm1@start', '--fault', 'crash:vm2@start']);
    expect(contractBreaches(result)).toEqual([]);
    expect(result.code).toBe(3);
    expect(result.stdout).toMatch(/CRASHED: actor vm[12] failed/);
  });
});

describe('numbers past 2^53 (L7: "--steps 9007199254740993" said "got 9007199254740992")', () => {
  it('are compared exactly and quoted as typed', async () => {
    await refused(['run', '--runtime', 'sim', '--steps', '9007199254740993'], /--steps must be from 1 to 100000000, got 9007199254740993/);
    await refused(['explore', '--iterations', '18446744073709551617'], /--iterations must be from 1 to \d+, got 18446744073709551617/);
    await refused([...SIM, '--seed', '-99999999999999999999'], /--seed must be from -2147483648 to 4294967295, got -99999999999999999999/);
  });
});

describe('control characters in a value (L5: a newline in a path split the one-line report)', () => {
  it('an argument and an option value are refused, shown escaped, before any file is touched', async () => {
    await refused(['replay', 'a\nb.json'], /<trace> "a\\nb\.json": a value with a newline or another control character is not taken/);
    await refused([...SIM, '--trace', join(dir, 't\r.json')], /--trace ".*t\\r\.json": a value with a newline/);
    await refused(['explore', '--out', join(dir, 'out\tdir'), '--iterations', '1'], /--out ".*out\\tdir": a value with a newline/);
    expect(existsSync(join(dir, 'out\tdir'))).toBe(false);
  });
});

describe("'-' (L6: it meant stdout for trace -o alone, and made a file named '-' elsewhere)", () => {
  it("is refused where stdout carries the report, and no file named '-' is made", async () => {
    await refused([...SIM, '--trace', '-'], /--trace -: standard output is not an output of this option/);
    await refused(['shrink', join(dir, 'none.json'), '-o', '-'], /-o -: standard output is not an output of this option/);
    await refused(['explore', '--iterations', '1', '--out', '-'], /--out -: a directory is needed here, not standard output/);
    await refused(['bench', '--quick', '--out', '-'], /--out -: a directory is needed here/);
    expect(existsSync('-')).toBe(false);
  });

  it('trace -o - still writes the drawing on stdout', async () => {
    const trace = join(dir, 'small.json');
    expect((await runInProcess([...SIM, '--trace', trace])).code).toBe(0);
    const result = await runInProcess(['trace', trace, '--format', 'chrome', '-o', '-']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toHaveProperty('traceEvents');
  });
});

describe('a file name too long for the file system (L9: it failed at write time, exit 3, after the work)', () => {
  it('is refused up front, exit 2', async () => {
    const long = join(dir, `${'x'.repeat(300)}.json`);
    await refused([...SIM, '--trace', long], /--trace .*x{300}\.json: a name in it is too long for the file system \(ENAMETOOLONG/);
    await refused(['explore', '--iterations', '1', '--out', join(dir, 'y'.repeat(300), 'z')], /--out .*: a name in it is too long/);
  });
});

describe('--workers beyond what a campaign can use (L3: 64 threads started for one execution)', () => {
  it('starts and reports the threads the chunks keep busy', async () => {
    const one = await runInProcess(['explore', '--iterations', '1', '--workers', '64', '--json']);
    expect(one.code).toBe(0);
    expect(JSON.parse(one.stdout)).toMatchObject({ workers: 1, executions: 1 });
    // 300 executions are two chunks of 256: two threads.
    const two = await runInProcess(['explore', '--iterations', '300', '--workers', '8', '--json']);
    expect(two.code).toBe(0);
    expect(JSON.parse(two.stdout)).toMatchObject({ workers: 2, executions: 300 });
  });
});

describe('a module whose top level acts on the whole process (L4 process.abort: a core dump, exit 134; L12 process.chdir: "not found")', () => {
  for (const call of ['process.abort()', "process.chdir('/')"]) {
    it(`${call}: one line naming the module's line and the call, exit 2, on every command that loads it`, () => {
      const module = join(dir, `top${call.length}.mjs`);
      writeFileSync(module, `// a hostile module\n${call};\nexport default {};\n`);
      for (const args of [['run', '--runtime', 'sim', '--no-trace', '--scenario', module], ['explore', module, '--iterations', '1']]) {
        const child = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', ...childBound(90_000) });
        expect({ status: child.status, signal: child.signal, stderr: child.stderr }).toEqual({
          status: 2, signal: null,
          stderr: expect.stringMatching(new RegExp(`^vmmsim: cannot load scenario top${call.length}\\.mjs:2:\\d+: its top level calls ${call.replace(/\(.*\)/, '').replace('.', '\\.')}\\(\\), which would act on the whole vmmsim process[^\\n]*\\n$`)),
        });
      }
    });
  }
});

describe('trace --from/--to over 100,000 records (L10: "draw any stretch in full", and it did not)', () => {
  it('says how long a stretch is drawn in full', async () => {
    const trace = join(dir, 'long.json');
    expect((await runInProcess(['run', '--runtime', 'sim', '--steps', '30000', '--trace', trace])).code).toBe(0);
    const result = await runInProcess(['trace', trace, '--format', 'chrome', '--from', '0', '--to', '100000', '-o', join(dir, 'long.chrome.json')]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/records 0 to 100000/);
    expect(result.stdout).toMatch(/--from\/--to draw a stretch of up to 100,000 records in full/);
    expect(readFileSync(join(dir, 'long.chrome.json'), 'utf8').length).toBeGreaterThan(0);
  });
});

describe('worker --lock-duration below 1 s (a queue audit: 1ms was taken, and every chunk longer than it stalled)', () => {
  it('is refused with the reason, before Redis is reached', async () => {
    await refused(['worker', '--queue', 'redis://127.0.0.1:1/0', '--lock-duration', '500ms'], /--lock-duration must be a time at least 1s \(the lock is renewed every half of it/);
  });
});

describe("a module whose top level replaces a built-in vmmsim relies on (Object.prototype.then: the load's own result never settled, a hang past Ctrl-C; Array.prototype.push: a message about zod's insides)", () => {
  const cases: [string, string][] = [
    ['Object.prototype.then', 'Object.prototype.then = function (resolve) { resolve(this); };'],
    ['Array.prototype.push', 'Array.prototype.push = function () { return 0; };'],
  ];
  for (const [name, line] of cases) {
    it(`${name}: put back, and the module refused in one line, exit 2, on run and explore`, () => {
      const module = join(dir, `replaces-${name.replace(/\./g, '-')}.mjs`);
      writeFileSync(module, `${line}\nexport default { name: 't', vms: 2, steps: 50, devices: [{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { r.state.n++; } } }] };\n`);
      for (const args of [['run', '--runtime', 'sim', '--no-trace', '--scenario', module], ['explore', module, '--iterations', '2']]) {
        const child = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', ...childBound(60_000), env: { ...process.env, VMMSIM_LOAD_BOUND_MS: '10000' } });
        expect({ status: child.status, stderr: child.stderr }).toEqual({
          status: 2,
          stderr: `vmmsim: cannot load scenario ${module.slice(dir.length + 1)}: its top level changed the built-in ${name}, which vmmsim's own code relies on (put back; a scenario module may not)\n`,
        });
      }
    }, 150_000);
  }
});
