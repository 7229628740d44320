// Input checked at the edge, and the runs that cannot go on: each case as a user meets it, run
// in this process. Bad input is one line on stderr naming the flag or field and its value, exit
// 2, before any work; device code that never returns ends the run with exit 3 naming the device
// and the procedure, in both runtimes; user code that throws is the user's error, exit 1, with
// its location; a scenario's own configuration holds unless a flag is given.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TRACE_VERSIONS_READ } from '../../src/shared/trace.js';
import { makeFiles, scenarioModule } from './support/files.js';
import { contractBreaches, runInProcess, type CliResult } from './support/inProcess.js';

let dir = '';
let f: Record<string, string> = {};
const cli = (...argv: string[]): Promise<CliResult> => runInProcess(argv);

function usage(result: CliResult, mentions: RegExp): void {
  expect(contractBreaches(result)).toEqual([]);
  expect({ code: result.code, stderr: result.stderr }).toMatchObject({ code: 2, stderr: expect.stringMatching(mentions) });
  expect(result.stdout).toBe('');
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-edge-'));
  expect((await cli('run', '--runtime', 'sim', '--steps', '600', '--trace', join(dir, 'valid.json'))).code).toBe(0);
  f = makeFiles(dir, join(dir, 'valid.json'));
  writeFileSync(join(dir, 'hang.mjs'), scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (++r.state.n > 20) for (;;); } } }" }));
  writeFileSync(join(dir, 'pooled.mjs'), scenarioModule({ extra: ", config: { handleMode: 'pooled' }" }));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('output paths are checked before any work', () => {
  it('--trace a directory, --trace under a file, --log empty, trace -o a directory, explore --out a file, bench --out a file', async () => {
    usage(await cli('run', '--runtime', 'sim', '--trace', f['a-directory']!), /--trace .*a-directory: is a directory/);
    usage(await cli('run', '--runtime', 'sim', '--trace', f.underAFile!), /--trace .*is not a directory/);
    usage(await cli('run', '--log', '', '--duration', '1s'), /--log: the path is empty/);
    usage(await cli('trace', f['trace.valid']!, '--format', 'html', '-o', f['a-directory']!), /-o .*is a directory/);
    usage(await cli('explore', '--out', f['trace.valid']!), /--out .*is a file, not a directory/);
    usage(await cli('bench', '--quick', '--out', f['trace.valid']!), /--out .*is a file, not a directory/);
    // The files bench writes there: a directory named bench.json was found only after the measurements.
    mkdirSync(join(dir, 'bench-out', 'bench.json'), { recursive: true });
    usage(await cli('bench', '--quick', '--out', join(dir, 'bench-out')), /--out .*bench\.json: is a directory/);
  });
});

describe('a flag that does not apply to the runtime is an error', () => {
  it('--fault, --duration and --thread-layout on sim, --steps on threads; a layout that is not one', async () => {
    usage(await cli('run', '--runtime', 'sim', '--fault', 'crash:vm2@1s'), /--fault applies to the threads runtime only/);
    usage(await cli('run', '--runtime', 'sim', '--duration', '5s'), /--duration applies to the threads runtime only/);
    usage(await cli('run', '--runtime', 'sim', '--thread-layout', 'split'), /--thread-layout applies to the threads runtime only/);
    usage(await cli('run', '--thread-layout', 'pinned'), /--thread-layout must be one of auto, split, shared, got 'pinned'/);
    usage(await cli('run', '--steps', '100'), /--steps applies to --runtime sim only/);
    usage(await cli('run', '--runtime', 'sim', '--scenario', f['scenario.valid.mjs']!, '--vms', '3'), /--vms applies to the built-in machine only/);
  });
});

describe('scenario modules are validated, with or without defineScenario', () => {
  const cases: [string, RegExp][] = [
    ['scenario.vms0.mjs', /vms = 0: Too small/],
    ['scenario.vms10000.mjs', /vms = 10000: Too big/],
    ['scenario.irq16.mjs', /devices\.0\.irqs\.0\.irq = 16/],
    ['scenario.number.mjs', /the default export is 42, not a scenario/],
    ['scenario.noDefault.mjs', /the default export is undefined/],
    ['scenario.badProcName.mjs', /devices\.0\.entries\.0 = "missing": names no procedure of device dev/],
    ['scenario.throwsAtLoad.mjs', /cannot load scenario .*scenario\.throwsAtLoad\.mjs:1:\d+: scenario module broke on load/],
  ];
  for (const [file, message] of cases) {
    it(`${file}: exit 2, ${message.source}`, async () => {
      usage(await cli('run', '--runtime', 'sim', '--scenario', f[file]!, '--no-trace'), message);
    });
  }
});

describe('user code that throws is the user\'s error: exit 1, message and location, the trace replays to it', () => {
  it('a device procedure', async () => {
    const trace = join(dir, 'throws.json');
    const run = await cli('run', '--runtime', 'sim', '--scenario', f['scenario.procThrows.mjs']!, '--trace', trace);
    expect(contractBreaches(run)).toEqual([]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^vmmsim: device dev, procedure poke threw: poke failed \(at .*scenario\.procThrows\.mjs:\d+:\d+\)\n$/);
    const replay = await cli('replay', trace);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/reproduced exactly.*\n.*the run ended on: device dev, procedure poke threw: poke failed/);
    // What led to the throw (an outside audit: the event order was the explanation, and none was shown).
    const leading = /\n  the (\d+) records leading to it:\n((?: {4}#\d+ [^\n]*\n)+)/.exec(replay.stdout);
    expect(leading, replay.stdout).not.toBeNull();
    expect(Number(leading![1])).toBe(leading![2]!.trimEnd().split('\n').length);
    expect(Number(leading![1])).toBeGreaterThan(0);
    const json = JSON.parse((await cli('replay', trace, '--json', '--context', '5')).stdout) as { leadingRecords: unknown[]; fault: { message: string } };
    expect(json.leadingRecords).toHaveLength(5);
  });

  it('a scenario invariant', async () => {
    const run = await cli('run', '--runtime', 'sim', '--scenario', f['scenario.invariantThrows.mjs']!, '--no-trace');
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^vmmsim: invariant inv threw: invariant broke \(at .*scenario\.invariantThrows\.mjs:\d+:\d+\)\n$/);
  });
});

describe('exit codes: run exits 1 on any violation, --vmm-only on VMM ones only', () => {
  it('a scenario breaking its own invariant', async () => {
    const strict = await cli('run', '--runtime', 'sim', '--scenario', f['scenario.violates.mjs']!, '--no-trace', '--json');
    expect(strict.code).toBe(1);
    expect(JSON.parse(strict.stdout)).toMatchObject({ invariantsOk: true, deviceBugs: expect.any(Number) });
    expect((JSON.parse(strict.stdout) as { deviceBugs: number }).deviceBugs).toBeGreaterThan(0);
    expect((await cli('run', '--runtime', 'sim', '--scenario', f['scenario.violates.mjs']!, '--no-trace', '--vmm-only')).code).toBe(0);
  });
});

describe("a scenario's own configuration wins over CLI defaults, a given flag over the scenario", () => {
  it('handleMode pooled from the scenario; --handles checked given overrides it', async () => {
    const own = JSON.parse((await cli('run', '--runtime', 'sim', '--scenario', join(dir, 'pooled.mjs'), '--no-trace', '--json')).stdout) as { config: { handleMode: string } };
    expect(own.config.handleMode).toBe('pooled');
    const given = JSON.parse((await cli('run', '--runtime', 'sim', '--scenario', join(dir, 'pooled.mjs'), '--no-trace', '--json', '--handles', 'checked')).stdout) as { config: { handleMode: string } };
    expect(given.config.handleMode).toBe('checked');
  });
});

describe('the watchdog', () => {
  it('sim: a procedure over its service-call budget ends the run, exit 3; its trace replays to the same end', async () => {
    const trace = join(dir, 'runaway.json');
    const run = await cli('run', '--runtime', 'sim', '--scenario', f['scenario.runaway.mjs']!, '--trace', trace);
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^vmmsim: device dev, procedure poke: 100000 service calls in one ring-0 entry/);
    const replay = await cli('replay', trace);
    expect(replay.code).toBe(3);
    expect(replay.stdout).toMatch(/reproduced exactly/);
  });

  it('threads: a procedure over its service-call budget is a runtime failure too, exit 3 as on the simulator (not the module\'s stray throw, exit 1)', async () => {
    const run = await cli('run', '--runtime', 'threads', '--duration', '3s', '--scenario', f['scenario.runaway.mjs']!, '--no-trace');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/100000 service calls in one ring-0 entry/);
    expect(run.stderr).not.toMatch(/scenario code threw outside a device procedure/);
  }, 60_000);

  it('sim: a procedure that loops without a service call is ended from another thread, exit 3; the trace up to it replays', async () => {
    const trace = join(dir, 'hang-sim.json');
    const run = await cli('run', '--runtime', 'sim', '--scenario', join(dir, 'hang.mjs'), '--trace', trace, '--watchdog', '300ms');
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^vmmsim: watchdog: device dev, procedure poke has not returned for \d+\.\d s/);
    expect(existsSync(trace)).toBe(true);
    const replay = await cli('replay', trace);
    expect(replay.code).toBe(3);
    expect(replay.stdout).toMatch(/reproduced exactly[^]*the recorded run then hung/);
  });

  it('explore: a runaway procedure ends the campaign (exit 3, its execution re-run into a trace, on one worker or a pool); a throwing one is a finding (exit 1, its trace replays), on one worker or a pool', async () => {
    writeFileSync(join(dir, 'runaway-early.mjs'), scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (++r.state.n > 5) for (;;) r.currentVm(); } } }" }));
    writeFileSync(join(dir, 'throws-early.mjs'), scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (++r.state.n > 5) throw new Error('early'); } } }" }));
    for (const workers of ['1', '2']) {
      const out = ['--iterations', '300', '--strategy', 'random', '--workers', workers, '--out', join(dir, 'explore-out')];
      const runaway = await cli('explore', join(dir, 'runaway-early.mjs'), ...out);
      const reRun = /^vmmsim: device dev, procedure poke: 100000 service calls[^\n]*\nvmmsim: execution \d+ \(random\) [^\n]* ran away; re-running it to write its trace\nvmmsim: trace up to step \d+ in [^\n]*\n$/;
      expect({ workers, code: runaway.code, stderr: runaway.stderr }).toEqual({ workers, code: 3, stderr: expect.stringMatching(reRun) });
      const throws = await cli('explore', join(dir, 'throws-early.mjs'), ...out);
      expect({ workers, code: throws.code, stdout: throws.stdout }).toEqual({ workers, code: 1, stdout: expect.stringMatching(/FOUND device bug deviceThrew \[dev\] in execution 1[^:\n]*: device dev, procedure poke threw: early \(at .*throws-early\.mjs:\d+:\d+\)\n[^]*replay it: /) });
    }
  }, 120_000);

  it('replay and explore are watched too', async () => {
    const explore = await cli('explore', join(dir, 'hang.mjs'), '--iterations', '5', '--out', join(dir, 'explore-out'));
    expect(explore.code).toBe(3);
    expect(explore.stderr).toMatch(/watchdog: device dev, procedure poke has not returned/);
  }, 60_000);

  it('explore --watchdog sets the bound, on the command\'s thread and on a pool: slow code that returns passes under a higher one', async () => {
    // The first machine a thread boots runs `boot`, which spins 400 ms of wall time and returns
    // (the module is loaded once per thread); later boots are quick.
    writeFileSync(join(dir, 'slow-boot.mjs'), scenarioModule({
      top: 'let booted = false;',
      device: "{ name: 'dev', state: () => ({}), entries: ['poke'], init: 'boot', procs: { boot() { if (booted) return; booted = true; const end = Date.now() + 400; while (Date.now() < end); }, poke(r) { r.currentVm(); } } }",
    }));
    const out = ['--strategy', 'random', '--workloads', '1', '--steps', '5', '--out', join(dir, 'explore-out')];
    // Two workers get a pool when there are two chunks of executions to share (256 each).
    for (const [workers, iterations] of [['1', '2'], ['2', '257']] as const) {
      const args = [...out, '--iterations', iterations, '--workers', workers];
      const ended = await cli('explore', join(dir, 'slow-boot.mjs'), ...args, '--watchdog', '150ms');
      expect({ workers, code: ended.code }).toEqual({ workers, code: 3 });
      expect(ended.stderr).toMatch(/^vmmsim: watchdog: device dev, procedure boot has not returned for 0\.\d s \(the watchdog's bound, --watchdog\): taken as code that never returns/);
      // On a pool, the pool's own watcher saw it: the bound reached the pool's threads.
      if (workers === '2') expect(ended.stderr).toMatch(/it ran on a pool worker, which was stopped\n[^]*hung again before it had recorded a step/);
      const passed = await cli('explore', join(dir, 'slow-boot.mjs'), ...args, '--watchdog', '20s');
      expect({ workers, code: passed.code, stderr: passed.stderr }).toEqual({ workers, code: 0, stderr: '' });
      expect(passed.stdout).toMatch(/no violation found/);
    }
    usage(await cli('explore', join(dir, 'slow-boot.mjs'), '--watchdog', '0'), /^vmmsim: --watchdog must be/);
    usage(await cli('explore', 'default', '--queue', 'redis://localhost:1', '--watchdog', '5s'), /^vmmsim: --watchdog is for local runs; with --queue/);
  }, 120_000);

  it('shrink --watchdog sets the bound of its candidate runs', async () => {
    // A run that ends in a device bug at its first step, whose shrink candidates boot a slow device.
    writeFileSync(join(dir, 'slow-bug.mjs'), scenarioModule({ device: "{ name: 'dev', state: () => ({}), entries: ['poke'], init: 'boot', procs: { boot() { const end = Date.now() + 400; while (Date.now() < end); }, poke(r) { r.fail('bug', 'found'); } } }" }));
    const trace = join(dir, 'slow-bug.json');
    expect((await cli('run', '--runtime', 'sim', '--scenario', join(dir, 'slow-bug.mjs'), '--steps', '20', '--trace', trace)).code).toBe(1);
    const ended = await cli('shrink', trace, '-o', join(dir, 'slow-bug.a.json'), '--watchdog', '150ms');
    expect(ended.code).toBe(3);
    expect(ended.stderr).toMatch(/^vmmsim: watchdog: device dev, procedure boot has not returned/);
    const passed = await cli('shrink', trace, '-o', join(dir, 'slow-bug.b.json'), '--watchdog', '20s', '--max-candidates', '3');
    expect(passed.code).toBe(0);
    usage(await cli('shrink', trace, '--watchdog', 'soon'), /^vmmsim: --watchdog must be/);
  }, 120_000);

  it('trace --watchdog sets the bound of the replay it draws from', async () => {
    // A clean run whose machine boots by running `boot`, which spins 400 ms of wall time and returns.
    writeFileSync(join(dir, 'slow-clean.mjs'), scenarioModule({ device: "{ name: 'dev', state: () => ({}), entries: ['poke'], init: 'boot', procs: { boot() { const end = Date.now() + 400; while (Date.now() < end); }, poke(r) { r.currentVm(); } } }" }));
    const trace = join(dir, 'slow-clean.json');
    expect((await cli('run', '--runtime', 'sim', '--scenario', join(dir, 'slow-clean.mjs'), '--steps', '20', '--trace', trace)).code).toBe(0);
    const ended = await cli('trace', trace, '--format', 'html', '-o', join(dir, 'slow-clean.a.html'), '--watchdog', '150ms');
    expect(ended.code).toBe(3);
    expect(ended.stderr).toMatch(/^vmmsim: watchdog: device dev, procedure boot has not returned/);
    const passed = await cli('trace', trace, '--format', 'html', '-o', join(dir, 'slow-clean.b.html'), '--watchdog', '20s');
    expect({ code: passed.code, stderr: passed.stderr }).toEqual({ code: 0, stderr: '' });
    expect(existsSync(join(dir, 'slow-clean.b.html'))).toBe(true);
    usage(await cli('trace', trace, '--format', 'html', '--watchdog', 'soon'), /^vmmsim: --watchdog must be/);
  }, 120_000);

  it('threads: the VMM actor stuck in a procedure is ended, exit 3, the report names actor, device and procedure', async () => {
    const trace = join(dir, 'hang-threads.json');
    const run = await cli('run', '--scenario', join(dir, 'hang.mjs'), '--duration', '20s', '--watchdog', '500ms', '--trace', trace, '--json');
    expect(run.code).toBe(3);
    const report = JSON.parse(run.stdout) as { fault: { actor: string; error: { name: string; message: string } } };
    expect(report.fault).toMatchObject({ actor: 'vmm', error: { name: 'DeviceHung', message: expect.stringMatching(/device dev, procedure poke has not returned/) } });
    expect((await cli('replay', trace)).code).toBe(3);
    // As text: the verdict covers the run up to the crash, and names it.
    const text = await cli('run', '--scenario', join(dir, 'hang.mjs'), '--duration', '20s', '--watchdog', '500ms', '--no-trace');
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/\n {2}CRASHED: actor vmm failed: DeviceHung: device dev, procedure poke has not returned[^\n]*\n/);
    expect(text.stdout).toMatch(/\n {2}VMM invariants: all held up to the stop; device bugs \(broken scenario invariants included\): 0, besides the failure of actor vmm \(CRASHED, above\)\n/);
  }, 60_000);
});

describe('traces: malformed is exit 2, tampered is a divergence, old versions are refused', () => {
  const cases: [string, number, RegExp][] = [
    ['trace.tamperedCheckpoint', 1, /DIVERGED: checkpoint 0/],
    ['trace.truncated', 2, /not a vmmsim trace/],
    ['trace.noEnd', 2, /stops before its end line/],
    // It said "line 3: not JSON": the lines before were whole, the write was cut short.
    ['trace.cutMidLine', 2, /is not a vmmsim trace: it stops in the middle of line 3, before its end line \(cut off: a full disk, or a process killed while it wrote\?\)$/m],
    ['trace.wrongType', 2, /line 1: seed/],
    ['trace.hugeRepeat', 2, /choice run 0/],
    ['trace.hugeSteps', 2, /steps/],
    ['trace.version1', 2, new RegExp(`format version 1; this vmmsim reads versions ${TRACE_VERSIONS_READ.join(' and ')}`)],
    // Format 3 changed the trace hash: a version-2 trace's hashes would not match, so it is refused, not replayed.
    ['trace.version2', 2, new RegExp(`format version 2; this vmmsim reads versions ${TRACE_VERSIONS_READ.join(' and ')} only \\(record the run again\\)$`, 'm')],
    ['trace.version99', 2, /format version 99/],
    ['trace.nonUtf8', 2, /not UTF-8|not JSON/],
  ];
  for (const [file, code, message] of cases) {
    it(`${file}: exit ${code}`, async () => {
      const result = await cli('replay', f[file]!);
      expect(contractBreaches(result)).toEqual([]);
      expect(result.code).toBe(code);
      expect(code === 2 ? result.stderr : result.stdout).toMatch(message);
    });
  }
});
