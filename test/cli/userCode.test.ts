// A scenario's own code misbehaving in every way a hostile corpus tries, beyond procedures that
// throw or loop (edge.test.ts): a device's state() that throws or never returns, an invariant
// that never returns or returns garbage, a thrown value that cannot be printed, async device
// code, a module that exits the process or never finishes loading, a module that leaves a timer
// running. README "Errors and exit codes": user code that threw is exit 1 with its message and
// location; code that does not return is exit 3 (the watchdog); a bad module is exit 2; never a
// stack trace, never a hang.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioModule } from './support/files.js';
import { contractBreaches, runInProcess, type CliResult } from './support/inProcess.js';
import { childBound } from '../support/childBound.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-usercode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, body: Parameters<typeof scenarioModule>[0] | string): string {
  const path = join(dir, name);
  writeFileSync(path, typeof body === 'string' ? body : scenarioModule(body));
  return path;
}

const device = (state: string, poke = 'poke(r) { r.state.n++; }'): string => `{ name: 'dev', state: ${state}, entries: ['poke'], procs: { ${poke} } }`;
const sim = (scenario: string, ...more: string[]): Promise<CliResult> =>
  runInProcess(['run', '--runtime', 'sim', '--steps', '300', '--no-trace', '--watchdog', '500ms', '--scenario', scenario, ...more]);

function oneLine(result: CliResult, code: number, stderr: RegExp): void {
  expect(contractBreaches(result)).toEqual([]);
  expect({ code: result.code, stderr: result.stderr }).toEqual({ code, stderr: expect.stringMatching(stderr) });
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

describe("a device's state()", () => {
  it('that throws: the device and state() named, with the location, exit 1 (sim and explore)', async () => {
    const path = file('stateThrows.mjs', { device: device("() => { throw new Error('no state'); }") });
    oneLine(await sim(path), 1, /^vmmsim: device dev, procedure state\(\) threw: no state \(at .*stateThrows\.mjs:\d+:\d+\)\n$/);
    oneLine(await runInProcess(['explore', path, '--iterations', '2', '--out', join(dir, 'out')]), 1, /procedure state\(\) threw: no state/);
  });

  it('that never returns: the watchdog ends it, exit 3', async () => {
    const path = file('stateLoops.mjs', { device: device('() => { for (;;); }') });
    oneLine(await sim(path), 3, /^vmmsim: watchdog: device dev, procedure state\(\) has not returned for \d+\.\d s/);
  }, 60_000);
});

describe('a service the model does not have', () => {
  it('is the device\'s error, exit 1, naming the services there are', async () => {
    const path = file('noSuchService.mjs', { device: device('() => ({})', "poke(r) { r.vmmCall('Set_Global_Time_Out'); }") });
    oneLine(await sim(path), 1, /^vmmsim: device dev, procedure poke threw: Set_Global_Time_Out is no VMM or VPICD service vmmsim simulates \(it has Call_Global_Event, Schedule_Global_Event, [^)]*VPICD_Clear_Int_Request, VPICD_Physically_Mask, VPICD_Physically_Unmask, VPICD_Set_Auto_Masking\)/);
  });
});

describe('an invariant', () => {
  it('that never returns: the watchdog ends it, exit 3', async () => {
    const path = file('invLoops.mjs', { extra: ", invariants: [{ name: 'spins', check: (v) => { if (v.step > 30) for (;;); } }]" });
    oneLine(await sim(path), 3, /^vmmsim: watchdog: scenario invariant #1 has not returned/);
  }, 60_000);

  it('that throws: STOPPED, exit 1, and the verdict names the throw beside the device bugs the checker saw before it', async () => {
    const path = file('invThrows.mjs', { extra: ", invariants: [{ name: 'brittle', check: (v) => { if (v.step > 30) throw new Error('brittle'); } }]" });
    const result = await sim(path);
    oneLine(result, 1, /^vmmsim: invariant brittle threw: brittle/);
    expect(result.stdout).toMatch(/\n {2}STOPPED: invariant brittle threw: brittle[^\n]*\n/);
    expect(result.stdout).toMatch(/\n {2}VMM invariants: all held up to the stop; device bugs \(broken scenario invariants included\): 0, besides the scenario invariant that threw \(STOPPED, above\)\n/);
  });

  it('that returns something else than a message: a violation that says what it returned, exit 1', async () => {
    const path = file('invGarbage.mjs', { extra: ", invariants: [{ name: 'odd', check: (v) => (v.step > 30 ? { toString() { throw new Error('no'); } } : undefined) }]" });
    const result = await sim(path, '--json');
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { violations: { kind: string; message: string }[] };
    expect(report.violations[0]).toMatchObject({ kind: 'odd', message: expect.stringMatching(/^returned an object \(an invariant returns a message string/) });
  });
});

describe('device code', () => {
  it('that throws a value that cannot be printed: one line, exit 1', async () => {
    const path = file('unprintable.mjs', { device: device('() => ({ n: 0 })', 'poke(r) { if (++r.state.n > 5) throw Object.create(null); }') });
    oneLine(await sim(path), 1, /^vmmsim: device dev, procedure poke threw: a value that cannot be printed was thrown\n$/);
  });

  it.each([['a number', '42'], ['an object', '{}'], ['a Symbol', "Symbol('s')"]])('that throws an Error whose stack is %s: its message, exit 1, never an internal error (sim, explore, state(), the module\'s top level)', async (_name, stack) => {
    const thrown = (message: string) => `{ const e = new Error('${message}'); e.stack = ${stack}; throw e; }`;
    const poke = file('stackPoke.mjs', { device: device('() => ({ n: 0 })', `poke(r) ${thrown('orig')}`) });
    oneLine(await sim(poke), 1, /^vmmsim: device dev, procedure poke threw: orig\n$/);
    // Exploration finds it as a bug of the device (FOUND, on stdout).
    const explored = await runInProcess(['explore', poke, '--iterations', '2', '--out', join(dir, 'out')]);
    expect(contractBreaches(explored)).toEqual([]);
    expect(explored.code).toBe(1);
    expect(explored.stdout).toMatch(/FOUND .*poke threw: orig/);
    const state = file('stackState.mjs', { device: device(`() => ${thrown('st')}`) });
    oneLine(await sim(state), 1, /^vmmsim: device dev, procedure state\(\) threw: st\n$/);
    const top = file('stackTop.mjs', `${thrown('top')}\n`);
    oneLine(await sim(top), 2, /^vmmsim: cannot load scenario .*stackTop\.mjs: top\n$/);
  });

  it('whose messages hold newlines, escape sequences or megabytes: each report line stays one line, escaped and cut (a thrown message, r.fail, an invariant)', async () => {
    const thrown = file('thrownAnsi.mjs', { device: device('() => ({ n: 0 })', "poke(r) { throw new Error('line1\\nline2 \\x1b[2Jcleared'); }") });
    oneLine(await sim(thrown), 1, /^vmmsim: device dev, procedure poke threw: line1\\nline2 \\x1b\[2Jcleared \(at .*\)\n$/);
    const failed = file('failNewline.mjs', { device: device('() => ({ n: 0 })', "poke(r) { r.fail('k\\nind', 'msg\\n' + 'y'.repeat(5e6)); }") });
    const result = await sim(failed);
    expect(contractBreaches(result)).toEqual([]);
    expect(result.code).toBe(1);
    const bug = result.stdout.split('\n').find((line) => line.includes('device bug k'))!;
    expect(bug).toMatch(/^ {2}device bug k\\nind \[dev\] at record \d+, t=\d+: msg\\ny+… \(\d+ more characters\)$/);
    expect(bug.length).toBeLessThan(2200);
    expect(result.stdout.length).toBeLessThan(100_000);
    const invariant = file('invariantNewline.mjs', { extra: ", invariants: [{ name: 'inv', check: () => 'bad\\nsecond line\\x1b[31m' }]" });
    const broken = await sim(invariant);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/\n {2}device bug inv at record \d+, t=\d+: bad\\nsecond line\\x1b\[31m\n/);
    const notAString = file('failObject.mjs', { device: device('() => ({ n: 0 })', 'poke(r) { r.fail({ toString() { throw 1; } }, 42); }') });
    oneLine(await sim(notAString), 1, /^vmmsim: device dev, procedure poke threw: fail: the kind must be a non-empty string, got object \(at .*\)\n$/);
  });

  it('written async: refused at load (it would return before its work is done), exit 2', async () => {
    const path = file('async.mjs', { device: device('() => ({ n: 0 })', 'async poke(r) { r.state.n++; }') });
    oneLine(await sim(path), 2, /devices\.0\.procs\.poke .*is an async or generator function/);
  });
});

describe('shrink', () => {
  it('a candidate run whose device code never returns is ended by the watchdog, exit 3 (not a hang)', async () => {
    // The violation needs an IRQ; without one (what shrinking tries first) the procedure spins.
    const path = file('shrinkSpins.mjs', `export default { name: 'spins', vms: 2, steps: 200, devices: [{ name: 'dev', state: () => ({ n: 0, irqs: 0 }),
      irqs: [{ irq: 5, hwIntProc: 'hw', meanIntervalTicks: 50 }], entries: ['poke'],
      procs: { hw(r) { r.takeHardwareRequest(5); r.physEoi(r.irqHandle(5)); r.state.irqs++; }, poke(r) { r.state.n++; if (r.state.n > 10 && r.state.irqs === 0) for (;;); } } }],
      invariants: [{ name: 'seen', check: (v) => (v.device('dev').n > 10 && v.device('dev').irqs > 0 ? 'n above 10 after an IRQ' : undefined) }] };\n`);
    const trace = join(dir, 'spins.json');
    expect((await runInProcess(['run', '--runtime', 'sim', '--scenario', path, '--steps', '200', '--trace', trace])).code).toBe(1);
    oneLine(await runInProcess(['shrink', trace, '-o', join(dir, 'spins.shrunk.json')]), 3, /^vmmsim: watchdog: device dev, procedure poke has not returned/);
  }, 120_000);
});

// These end or hold the process itself: run as the user runs them, in a process of their own.
describe('a module that ends or holds the process', () => {
  const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
  const vmmsim = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...childBound(60_000) });
  const cases: [string, string, number, RegExp][] = [
    ['exits.mjs', "process.exit(0);\nexport default {};\n", 2, /^vmmsim: cannot load scenario .*exits\.mjs: the process ended while it loaded/],
    ['neverLoads.mjs', 'await new Promise(() => {});\nexport default {};\n', 2, /^vmmsim: cannot load scenario .*neverLoads\.mjs: the process ended while it loaded/],
    ['exitsInProc.mjs', scenarioModule({ device: device('() => ({ n: 0 })', 'poke(r) { if (++r.state.n > 5) process.exit(0); }') }), 3, /^vmmsim: the run-sim ended early: its thread exited with code 0/],
  ];
  for (const [name, body, code, stderr] of cases) {
    it(`${name}: exit ${code}, one line`, () => {
      const p = vmmsim('run', '--runtime', 'sim', '--steps', '300', '--no-trace', '--scenario', file(name, body));
      expect({ status: p.status, stderr: p.stderr }).toEqual({ status: code, stderr: expect.stringMatching(stderr) });
      expect(p.stderr.trimEnd().split('\n')).toHaveLength(1);
    }, 60_000);
  }

  it('a module that leaves a timer running: the command still ends when its work is done', () => {
    const path = file('timer.mjs', `setInterval(() => {}, 1000);\n${scenarioModule()}`);
    const p = vmmsim('run', '--runtime', 'sim', '--steps', '300', '--no-trace', '--scenario', path);
    expect({ status: p.status, signal: p.signal }).toEqual({ status: 0, signal: null });
  }, 60_000);
});
