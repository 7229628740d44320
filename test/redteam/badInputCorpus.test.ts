// A corpus of bad input written from the README alone (scenario modules here; command lines,
// traces and paths in badInputCommands.test.ts): modules of the wrong shape, values out of
// range, lifecycles that name no VM, a module that allocates without end. README "Errors and exit codes": bad input is one line on stderr naming
// the flag or field and its value, exit 2; user code that threw is exit 1; never a stack trace,
// never a hang. The rows marked "was:" are what this corpus found broken.
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { contractBreaches, runInProcess } from '../cli/support/inProcess.js';
import { runCliInChild } from '../support/cliChild.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-corpus-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const p = (name: string): string => join(dir, name);

const device = (irq: string, mean = '50'): string =>
  `{ name: 'a', state: () => ({}), irqs: [{ irq: ${irq}, hwIntProc: 'h', meanIntervalTicks: ${mean} }], procs: { h() {} } }`;
const scenario = (fields: string): string => `export default { name: 'x', vms: 2, steps: 20, devices: [], ${fields} };\n`;

/** Scenario modules: [file, text, exit code, the one line]. */
const MODULES: [string, string, number, RegExp][] = [
  ['number.mjs', 'export default 42;\n', 2, /number\.mjs: the default export is 42, not a scenario/],
  ['null.mjs', 'export default null;\n', 2, /null\.mjs: the default export is null, not a scenario/],
  ['named.mjs', "export const scenario = { name: 'x', vms: 1, devices: [] };\n", 2, /named\.mjs: the default export is undefined, not a scenario/],
  ['factory.mjs', "export default function () { return { name: 'x', vms: 1, devices: [] }; }\n", 2, /factory\.mjs: the default export is a function, not a scenario/],
  ['array.mjs', 'export default [];\n', 2, /array\.mjs: \(scenario\) = an array of 0: .*expected object/],
  // was: awaited and run, exit 0 (a promise is no scenario: the README's default export is one).
  ['promise.mjs', "export default Promise.resolve({ name: 'x', vms: 1, devices: [] });\n", 2, /promise\.mjs: the default export is a promise, not a scenario/],
  // was: "scenario code called process.exit(0) before the command finished", exit 3.
  ['promiseNever.mjs', 'export default new Promise(() => {});\n', 2, /promiseNever\.mjs: the default export is a promise, not a scenario/],
  ['devicesString.mjs', scenario("devices: 'timer'"), 2, /devices = "timer": .*expected array/],
  ['missingHandler.mjs', scenario(`devices: [{ name: 'a', state: () => ({}), irqs: [{ irq: 5, hwIntProc: 'nope', meanIntervalTicks: 10 }], procs: {} }]`), 2, /devices\.0\.irqs\.0\.hwIntProc = "nope": names no procedure of device a/],
  ['duplicateNames.mjs', scenario("devices: [{ name: 'a', state: () => ({}), procs: {} }, { name: 'a', state: () => ({}), procs: {} }]"), 2, /devices\.1\.name = "a": two devices have this name/],
  ['irqNegative.mjs', scenario(`devices: [${device('-1')}]`), 2, /devices\.0\.irqs\.0\.irq = -1: Too small/],
  ['irqFraction.mjs', scenario(`devices: [${device('1.5')}]`), 2, /devices\.0\.irqs\.0\.irq = 1\.5: .*expected int/],
  ['irqNaN.mjs', scenario(`devices: [${device('NaN')}]`), 2, /devices\.0\.irqs\.0\.irq = NaN/],
  ['irqInfinity.mjs', scenario(`devices: [${device('Infinity')}]`), 2, /devices\.0\.irqs\.0\.irq = Infinity/],
  ['meanZero.mjs', scenario(`devices: [${device('5', '0')}]`), 2, /meanIntervalTicks = 0: Too small/],
  ['meanNaN.mjs', scenario(`devices: [${device('5', 'NaN')}]`), 2, /meanIntervalTicks = NaN/],
  ['procNotFunction.mjs', scenario(`devices: [{ name: 'a', state: () => ({}), irqs: [{ irq: 5, hwIntProc: 'h', meanIntervalTicks: 10 }], procs: { h: 5 } }]`), 2, /devices\.0\.procs\.h = 5: a function/],
  ['stepsInfinity.mjs', "export default { name: 'x', vms: 1, steps: Infinity, devices: [] };\n", 2, /steps = Infinity/],
  ['vmsHuge.mjs', "export default { name: 'x', vms: 1e9, devices: [] };\n", 2, /vms = 1000000000: Too big/],
  ['nameEmpty.mjs', "export default { name: '', vms: 1, devices: [] };\n", 2, /name = "": Too small/],
  ['mixNegative.mjs', scenario('mix: { run: -1 }'), 2, /mix\.run = -1: Too small/],
  ['poolZero.mjs', scenario('config: { eventPoolSize: 0 }'), 2, /config\.eventPoolSize = 0: Too small/],
  ['invariantNotFunction.mjs', scenario("invariants: [{ name: 'i', check: 5 }]"), 2, /invariants\.0\.check = 5: a function/],
  ['lifecycleNegative.mjs', scenario("lifecycle: [{ atStep: -1, op: 'destroy', vm: 2 }]"), 2, /lifecycle\.0\.atStep = -1: Too small/],
  // was: skipped by the run loop in silence, exit 0 (SPEC §2: the system VM "always exists").
  ['destroySystemVm.mjs', scenario("lifecycle: [{ atStep: 1, op: 'destroy', vm: 1 }]"), 2, /lifecycle\.0\.vm = 1: VM 1 is the system VM, which always exists and cannot be destroyed/],
  // was: skipped in silence, exit 0.
  ['destroyNoSuchVm.mjs', scenario("lifecycle: [{ atStep: 1, op: 'destroy', vm: 9 }]"), 2, /lifecycle\.0\.vm = 9: destroy at step 1: VM 9 does not exist then \(the VMs then: 1, 2\)/],
  // was: the second destroy skipped in silence, exit 0.
  ['destroyTwice.mjs', scenario("lifecycle: [{ atStep: 2, op: 'destroy', vm: 2 }, { atStep: 1, op: 'destroy', vm: 2 }]"), 2, /lifecycle\.0\.vm = 2: destroy at step 2: VM 2 was destroyed before it/],
  // was: skipped in silence, exit 0.
  ['focusNoVm.mjs', scenario("lifecycle: [{ atStep: 1, op: 'focus' }]"), 2, /lifecycle\.0\.vm = undefined: focus at step 1 names no VM/],
  // The control: a VM the scenario creates may be focused and destroyed.
  ['createdVm.mjs', scenario("lifecycle: [{ atStep: 1, op: 'create' }, { atStep: 2, op: 'focus', vm: 3 }, { atStep: 3, op: 'destroy', vm: 3 }]"), 0, /^$/],
  ['throwsNumber.mjs', 'throw 42;\n', 2, /cannot load scenario .*throwsNumber\.mjs: 42$/],
  ['throwsUnprintable.mjs', "throw { toString() { throw new Error('x'); } };\n", 2, /cannot load scenario .*throwsUnprintable\.mjs: a value that cannot be printed was thrown/],
  ['stateThrows.mjs', "export default { name: 'x', vms: 1, devices: [{ name: 'a', state: () => { throw new Error('no state'); }, procs: {} }] };\n", 1, /device a, procedure state\(\) threw: no state \(at .*stateThrows\.mjs:1:\d+\)/],
  ['empty.mjs', '', 2, /empty\.mjs: the default export is undefined, not a scenario/],
  ['syntax.ts', "export default { name: 'x', vms: 1, devices: [ }\n", 2, /cannot load scenario .*syntax\.ts:1:\d+: Unexpected "}"/],
  // Round four: kinds the rows above lack (values of another type, configuration out of range,
  // names that break a one-line report, exports that are not plain objects).
  ['classExport.mjs', "export default class S { static vms = 1; static devices = []; }\n", 2, /classExport\.mjs: the default export is a function, not a scenario/],
  ['proxyThrowsEverywhere.mjs', "export default new Proxy({}, { get() { throw new Error('no get'); }, has() { throw new Error('no has'); }, ownKeys() { throw new Error('no keys'); }, getOwnPropertyDescriptor() { throw new Error('no desc'); }, getPrototypeOf() { throw new Error('no proto'); } });\n", 2, /proxyThrowsEverywhere\.mjs.*: no (get|has|keys|desc|proto)$/],
  ['procsProxy.mjs', scenario("devices: [{ name: 'a', state: () => ({}), procs: new Proxy({}, { ownKeys() { throw new Error('no keys'); } }) }]"), 2, /procsProxy\.mjs: reading the default export threw: no keys$/],
  // was: accepted; the newline split the report's first line and every one-line error naming it.
  ['nameNewline.mjs', "export default { name: 'a\\nb', vms: 1, devices: [] };\n", 2, /nameNewline\.mjs: name = "a\\nb": has a control character/],
  ['deviceNameNewline.mjs', scenario("devices: [{ name: 'a\\rb', state: () => ({}), procs: {} }]"), 2, /devices\.0\.name = "a\\rb": has a control character/],
  // was: accepted; the entry's weight doubled in the workload in silence.
  ['entryTwice.mjs', scenario("devices: [{ name: 'a', state: () => ({}), entries: ['e', 'e'], procs: { e() {} } }]"), 2, /devices\.0\.entries\.1 = "e": is named twice in entries of device a/],
  // was: accepted; two names, one word.
  ['slotTwice.mjs', scenario("devices: [{ name: 'a', state: () => ({}), slots: ['s', 's'], procs: {} }]"), 2, /devices\.0\.slots\.1 = "s": is named twice in slots of device a/],
  // was: accepted; a misspelled key was dropped in silence, so what it meant never ran (README
  // "every field is checked"): an invariant that always fails, never checked, and "all held".
  ['invariantKeyMisspelled.mjs', scenario("invariant: [{ name: 'i', check: () => 'broken' }]"), 2, /invariantKeyMisspelled\.mjs: \(scenario\): unknown key 'invariant' \(the keys here: name, description, vms, devices, config, mix, lifecycle, invariants, steps\)$/],
  ['configKeyMisspelled.mjs', scenario("config: { handelMode: 'pooled' }"), 2, /config: unknown key 'handelMode' \(the keys here: handleMode, /],
  ['deviceKeyMisspelled.mjs', scenario("devices: [{ name: 'a', state: () => ({}), irq: [{ irq: 5, hwIntProc: 'h', meanIntervalTicks: 10 }], procs: { h() {} } }]"), 2, /devices\.0: unknown key 'irq' \(the keys here: name, state, irqs, /],
  ['irqKeyMisspelled.mjs', scenario("devices: [{ name: 'a', state: () => ({}), irqs: [{ irq: 5, hwIntProc: 'h', meanIntervalTicks: 10, virtIntPoc: 'h' }], procs: { h() {} } }]"), 2, /devices\.0\.irqs\.0: unknown key 'virtIntPoc'/],
  ['mixKeyMisspelled.mjs', scenario("mix: { traps: 5 }"), 2, /mix: unknown key 'traps'/],
  ['lifecycleKeyMisspelled.mjs', scenario("lifecycle: [{ atStep: 1, op: 'focus', vm: 1, when: 3 }]"), 2, /lifecycle\.0: unknown key 'when'/],
  ['maskChangeProcUnknown.mjs', scenario("devices: [{ name: 'a', state: () => ({}), irqs: [{ irq: 5, hwIntProc: 'h', maskChangeProc: 'nope', meanIntervalTicks: 10 }], procs: { h() {} } }]"), 2, /devices\.0\.irqs\.0\.maskChangeProc = "nope": names no procedure of device a/],
  // was: accepted; a broken invariant is reported by its name, so the two could not be told apart.
  ['invariantTwice.mjs', scenario("invariants: [{ name: 'i', check: () => undefined }, { name: 'i', check: () => undefined }]"), 2, /invariants\.1\.name = "i": two invariants have this name/],
  ['invariantNameEmpty.mjs', scenario("invariants: [{ name: '', check: () => undefined }]"), 2, /invariants\.0\.name = "": Too small/],
  ['vmsString.mjs', "export default { name: 'x', vms: '2', devices: [] };\n", 2, /vms = "2": .*expected number, received string/],
  ['vmsBigint.mjs', "export default { name: 'x', vms: 2n, devices: [] };\n", 2, /vms = 2: .*expected number, received bigint/],
  ['nameSymbol.mjs', "export default { name: Symbol('x'), vms: 1, devices: [] };\n", 2, /name = Symbol\(x\): .*expected string, received symbol/],
  ['stepsNegativeZero.mjs', "export default { name: 'x', vms: 1, steps: -0, devices: [] };\n", 2, /steps = 0: Too small/],
  ['timesliceZero.mjs', scenario('config: { timesliceTicks: 0 }'), 2, /config\.timesliceTicks = 0: Too small/],
  ['timesliceNaN.mjs', scenario('config: { timesliceTicks: NaN }'), 2, /config\.timesliceTicks = NaN/],
  ['livelockZero.mjs', scenario('config: { livelockBound: 0 }'), 2, /config\.livelockBound = 0: Too small/],
  // A pass runs up to the bound: 10^9 made one pass of a self-rescheduling event ~1,000 s, past Ctrl-C.
  ['livelockHuge.mjs', scenario('config: { livelockBound: 1e9 }'), 2, /config\.livelockBound = 1000000000: Too big/],
  ['livelockInfinity.mjs', scenario('config: { livelockBound: Infinity }'), 2, /config\.livelockBound = Infinity/],
  ['poolHuge.mjs', scenario('config: { eventPoolSize: 1e9 }'), 2, /config\.eventPoolSize = 1000000000: Too big/],
  ['handleModeUnknown.mjs', scenario("config: { handleMode: 'loose' }"), 2, /config\.handleMode = "loose": .*"checked"\|"pooled"/],
  ['iretTimeoutNegative.mjs', scenario(`devices: [{ name: 'a', state: () => ({}), irqs: [{ irq: 5, hwIntProc: 'h', meanIntervalTicks: 50, iretTimeoutMs: -1 }], procs: { h() {} } }]`), 2, /devices\.0\.irqs\.0\.iretTimeoutMs = -1: Too small/],
  ['stateNotFunction.mjs', scenario("devices: [{ name: 'a', state: { n: 0 }, procs: {} }]"), 2, /devices\.0\.state = an object: a function/],
  ['initUnknown.mjs', scenario("devices: [{ name: 'a', state: () => ({}), init: 'nope', procs: {} }]"), 2, /devices\.0\.init = "nope": names no procedure of device a/],
  ['controlUnknown.mjs', scenario("devices: [{ name: 'a', state: () => ({}), control: { Not_A_Message: 'e' }, procs: { e() {} } }]"), 2, /devices\.0\.control\.Not_A_Message = "Not_A_Message": is not a System_Control message/],
  ['deviceByName.mjs', scenario("devices: ['timer']"), 2, /devices\.0 = "timer": .*expected object, received string/],
  // The controls: a frozen scenario, one with no prototype, and CommonJS's module.exports load and run.
  ['frozen.mjs', "export default Object.freeze({ name: 'x', vms: 2, steps: 5, devices: Object.freeze([]) });\n", 0, /^$/],
  ['nullPrototype.mjs', "const s = Object.create(null); Object.assign(s, { name: 'x', vms: 2, steps: 5, devices: [] }); export default s;\n", 0, /^$/],
  ['commonJs.cjs', "module.exports = { name: 'x', vms: 2, steps: 5, devices: [] };\n", 0, /^$/],
];

describe('scenario modules', () => {
  for (const [name, text, code, stderr] of MODULES) {
    it(`${name}: exit ${code}`, async () => {
      writeFileSync(p(name), text);
      const result = await runInProcess(['run', '--runtime', 'sim', '--steps', '20', '--no-trace', '--scenario', p(name)]);
      expect(contractBreaches(result)).toEqual([]);
      expect({ code: result.code, stderr: result.stderr.trimEnd() }).toEqual({ code, stderr: expect.stringMatching(stderr) });
    });
  }
});

describe('paths that are no module file', () => {
  // was: "scenario file not found: loopA.mjs" (existsSync is false for a link loop).
  it('a symbolic link loop: its system error, exit 2', async () => {
    symlinkSync(p('loopB.mjs'), p('loopA.mjs'));
    symlinkSync(p('loopA.mjs'), p('loopB.mjs'));
    const result = await runInProcess(['run', '--runtime', 'sim', '--steps', '5', '--no-trace', '--scenario', p('loopA.mjs')]);
    expect(contractBreaches(result)).toEqual([]);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: expect.stringMatching(/^vmmsim: cannot read scenario .*loopA\.mjs: ELOOP \(too many symbolic links encountered\)\n$/) });
  });

  // was: "scenario file not found: - (looked for <cwd>/-)".
  it("'-' (standard input): a scenario is a module file, exit 2", async () => {
    const result = await runInProcess(['explore', '-', '--iterations', '1']);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr: "vmmsim: scenario: '-' (standard input) is not read: a scenario is a module file (give its path)\n" });
  });
});

describe('in a process of its own', () => {
  /** The CLI in a child process with `env` added, killed after 150 s (each test's bound is 180 s). */
  const runInChild = (args: string[], env: Record<string, string>) => runCliInChild(args, env, dir);

  // was: V8's fatal "JavaScript heap out of memory" with its GC log and native stack, exit 134,
  // after a minute and 4 GB (the probe thread that loads a module first had no heap limit).
  it('a module that allocates without end while it loads: one line, exit 2, the probe thread bounded', async () => {
    const path = p('hoardsAtLoad.mjs');
    writeFileSync(path, 'const hoard = []; for (;;) hoard.push(new Array(1e6).fill(1));\nexport default {};\n');
    const result = await runInChild(['run', '--runtime', 'sim', '--steps', '20', '--no-trace', '--scenario', path], { VMMSIM_LOAD_BOUND_MS: '120000' });
    expect(result).toEqual({ code: 2, stderr: 'vmmsim: cannot load scenario hoardsAtLoad.mjs: it used more than 1024 MB of memory while loading (an allocation without end at its top level?)\n' });
  }, 180_000);

  // was: "device hog, procedure eat has not returned for 3.0 s ...: taken as code that never returns"
  // after 18-45 s and 3.3-4 GB on both runtimes (V8 collects for that long near its limit), and
  // on threads, where the heap did run out, Node's "Worker terminated due to reaching memory limit".
  // A small heap limit (NODE_OPTIONS) makes the case take seconds; either way it ends, the line
  // says memory.
  const hogModule = `const hoard = [];
const hog = { name: 'hog', state: () => ({}), entries: ['eat'], procs: { eat() { for (let i = 0; i < 1000; i++) hoard.push({ i, pair: [i, i] }); } } };
export default { name: 'hog', vms: 2, devices: [hog], mix: { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 } };
`;
  const OUT_OF_MEMORY = /^vmmsim: (the run ran out of memory: its thread's JavaScript heap reached its limit|actor vmm failed: OutOfMemory: its thread's JavaScript heap reached its limit|(actor vmm failed: DeviceHung: )?(watchdog: )?device hog, procedure eat has not returned .*most likely code that keeps allocating)/;
  it.each([['sim', ['--runtime', 'sim', '--steps', '100000000']], ['threads', ['--duration', '120']]])('device code that allocates every step (%s): a line that says memory, exit 3', async (_runtime, flags) => {
    const path = p('hog.mjs');
    writeFileSync(path, hogModule);
    const result = await runInChild(['run', ...flags, '--no-trace', '--scenario', path], { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --max-old-space-size=256` });
    expect(result.code).toBe(3);
    expect(result.stderr).toMatch(OUT_OF_MEMORY);
    expect(result.stderr.split('\n').filter((line) => line !== '')).toHaveLength(1);
  }, 180_000);
});
