// Files of every shape for the command line to choke on: traces valid, cut off, tampered, of
// the wrong types or sizes or version, not text; scenario modules of every wrong shape; paths
// that are directories, missing or not writable.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A plain-object scenario module (no imports: it runs from any directory). */
export function scenarioModule(body: { vms?: string; device?: string; extra?: string; top?: string } = {}): string {
  const device = body.device ?? "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { r.state.n++; } } }";
  return `${body.top ?? ''}\nexport default { name: 'fuzzed', vms: ${body.vms ?? '2'}, steps: 200, devices: [${device}]${body.extra ?? ''} };\n`;
}

/** Writes the files into dir; `validTrace` is a trace the caller recorded there. Returns name → path. */
export function makeFiles(dir: string, validTrace: string): Record<string, string> {
  const p = (name: string): string => join(dir, name);
  const trace = readFileSync(validTrace, 'utf8');
  const lines = trace.trimEnd().split('\n');
  const files: Record<string, string> = {
    'trace.valid': trace,
    // An existing file given as an output: overwriting it is the user's wish, but not the fixture
    // whose replay must exit 0 (a run that wrote over trace.valid broke later expectations).
    'existing.output': trace,
    'trace.truncated': trace.slice(0, Math.floor(trace.length / 2)),
    'trace.noEnd': lines.slice(0, -1).join('\n') + '\n',
    // A write cut short in the middle of a line (a full disk): the last line has no newline.
    'trace.cutMidLine': lines.slice(0, 2).join('\n') + '\n' + lines[2]!.slice(0, Math.floor(lines[2]!.length / 2)),
    'trace.tamperedCheckpoint': lines.map((l) => l.replace(/("hashes":\[")(.)/, (_m, a: string, c: string) => a + (c === '0' ? '1' : '0'))).join('\n') + '\n',
    'trace.wrongType': lines.map((l, i) => (i === 0 ? l.replace(/"seed":\d+/, '"seed":"seven"') : l)).join('\n') + '\n',
    'trace.hugeRepeat': lines.map((l) => l.replace(/"runs":\[(\d+),(\d+),(\d+)/, '"runs":[$1,$2,1e300')).join('\n') + '\n',
    'trace.hugeSteps': lines.map((l) => l.replace(/"t":"end","steps":\d+/, '"t":"end","steps":1e20')).join('\n') + '\n',
    'trace.version1': '{"format":"vmmsim-trace","version":1,"choices":[]}\n',
    'trace.version2': lines.map((l, i) => (i === 0 ? l.replace(/"version":\d+/, '"version":2') : l)).join('\n') + '\n',
    'trace.version99': lines.map((l, i) => (i === 0 ? l.replace(/"version":\d+/, '"version":99') : l)).join('\n') + '\n',
    'trace.array': '[1,2,3]\n',
    'trace.empty': '',
    'trace.json': '{ not json',
    'scenario.valid.mjs': scenarioModule(),
    'scenario.vms0.mjs': scenarioModule({ vms: '0' }),
    'scenario.vms10000.mjs': scenarioModule({ vms: '10000' }),
    'scenario.irq16.mjs': scenarioModule({ device: "{ name: 'dev', state: () => ({}), irqs: [{ irq: 16, hwIntProc: 'h', meanIntervalTicks: 100 }], procs: { h() {} } }" }),
    'scenario.number.mjs': 'export default 42;\n',
    'scenario.noDefault.mjs': 'export const x = 1;\n',
    'scenario.throwsAtLoad.mjs': "throw new Error('scenario module broke on load');\n",
    'scenario.syntax.mjs': 'export default { name: ;\n',
    'scenario.procThrows.mjs': scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (++r.state.n > 20) throw new Error('poke failed'); } } }" }),
    'scenario.invariantThrows.mjs': scenarioModule({ extra: ", invariants: [{ name: 'inv', check: (v) => { if (v.step > 30) throw new TypeError('invariant broke'); } }]" }),
    'scenario.runaway.mjs': scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (++r.state.n > 20) for (;;) r.currentVm(); } } }" }),
    'scenario.badProcName.mjs': scenarioModule({ device: "{ name: 'dev', state: () => ({}), entries: ['missing'], procs: {} }" }),
    'scenario.asyncProc.mjs': scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { async poke(r) { r.state.n++; } } }" }),
    'scenario.stateThrows.mjs': scenarioModule({ device: "{ name: 'dev', state: () => { throw new Error('no state'); }, entries: ['poke'], procs: { poke() {} } }" }),
    'scenario.stateLoops.mjs': scenarioModule({ device: "{ name: 'dev', state: () => { for (;;); }, entries: ['poke'], procs: { poke() {} } }" }),
    'scenario.throwsUnprintable.mjs': scenarioModule({ device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (++r.state.n > 5) throw Object.create(null); } } }" }),
    'scenario.invariantLoops.mjs': scenarioModule({ extra: ", invariants: [{ name: 'spins', check: (v) => { if (v.step > 30) for (;;); } }]" }),
    'scenario.invariantGarbage.mjs': scenarioModule({ extra: ", invariants: [{ name: 'odd', check: (v) => (v.step > 30 ? { toString() { throw new Error('no'); } } : undefined) }]" }),
    'scenario.violates.mjs': scenarioModule({ extra: ", invariants: [{ name: 'neverAboveTen', check: (v) => v.device('dev').n > 10 ? 'n went above ten' : undefined }]" }),
  };
  for (const [name, content] of Object.entries(files)) writeFileSync(p(name), content);
  writeFileSync(p('scenario.nonUtf8.mjs'), Buffer.from([0xff, 0xfe, 0x00, 0x80, 0x65, 0x78]));
  writeFileSync(p('trace.nonUtf8'), Buffer.from([0x7b, 0xff, 0xfe, 0x80, 0x0a]));
  mkdirSync(p('a-directory'), { recursive: true });
  // A named pipe: opening it to read or write blocks until the other end opens.
  if (!existsSync(p('a-fifo'))) spawnSync('mkfifo', [p('a-fifo')]);
  const paths: Record<string, string> = Object.fromEntries([...Object.keys(files), 'scenario.nonUtf8.mjs', 'trace.nonUtf8', 'a-directory', 'a-fifo'].map((n) => [n, p(n)]));
  paths.missing = p('does-not-exist.json');
  paths.underAFile = join(p('trace.valid'), 'x.json');
  return paths;
}
