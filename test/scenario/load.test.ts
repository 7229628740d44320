/**
 * Scenario modules load wherever they live: `.ts`, `.mts` and `.js`, in a CommonJS package (what
 * `npm init -y` makes), an ES module package, or a folder with no package.json; and a broken one
 * is reported in one line naming its file and line (exit 2 from the command line).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioModule, ScenarioError } from '../../src/scenario/load.js';
import { childBound } from '../support/childBound.js';

const root = mkdtempSync(join(tmpdir(), 'vmmsim-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A folder with the given package.json (none when null) and files. */
function folder(name: string, packageJson: object | null, files: Record<string, string>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  if (packageJson !== null) writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  return dir;
}

// No imports: the module format is the only thing under test. Typed, so the TypeScript is compiled.
const TS = (name: string): string => `const vms: number = 2;\nexport default { name: '${name}', vms, devices: [] as unknown[] };\n`;
const ESM_JS = (name: string): string => `export default { name: '${name}', vms: 2, devices: [] };\n`;
const CJS_JS = (name: string): string => `module.exports = { name: '${name}', vms: 2, devices: [] };\n`;

const layouts = [
  { name: 'commonjs', packageJson: { name: 'user', version: '1.0.0', type: 'commonjs' }, js: CJS_JS },
  { name: 'module', packageJson: { name: 'user', version: '1.0.0', type: 'module' }, js: ESM_JS },
  { name: 'no-type', packageJson: { name: 'user', version: '1.0.0' }, js: CJS_JS },
  { name: 'no-package', packageJson: null, js: ESM_JS },
];

describe('scenario modules', () => {
  for (const layout of layouts) {
    it(`load as .ts, .mts and .js in a ${layout.name} folder`, async () => {
      const dir = folder(layout.name, layout.packageJson, {
        'a.ts': TS('from-ts'), 'b.mts': TS('from-mts'), 'c.js': layout.js('from-js'),
      });
      expect((await loadScenarioModule(join(dir, 'a.ts'))).name).toBe('from-ts');
      expect((await loadScenarioModule(join(dir, 'b.mts'))).name).toBe('from-mts');
      expect((await loadScenarioModule(join(dir, 'c.js'))).name).toBe('from-js');
    });
  }

  it('report a syntax error with the scenario file and line', async () => {
    const dir = folder('broken', { name: 'user', version: '1.0.0', type: 'commonjs' }, {
      'broken.ts': "const vms = 2;\nexport default { name: 'x', vms, devices: [] ;\n",
    });
    const error = await loadScenarioModule(join(dir, 'broken.ts')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ScenarioError);
    expect((error as Error).message).toMatch(/broken\.ts:2:\d+: Expected "}" but found ";"$/);
  });

  it('report an error thrown while the module runs, with its line in an ES module', () => {
    // Through the command line: the test runner's own stack formatting would hide the source map.
    const dir = folder('throws', { type: 'module' }, { 'throws.ts': "const vms = 2;\nthrow new RangeError('no card');\nexport default { vms };\n" });
    const run = spawnSync(process.execPath, [resolve('bin/vmmsim.js'), 'run', '--runtime', 'sim', '--scenario', 'throws.ts', '--no-trace'], { cwd: dir, encoding: 'utf8', ...childBound() });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('vmmsim: cannot load scenario throws.ts:2:7: RangeError: no card\n');
  });

  it('run a module once per thread however often it is loaded, and again once its file changes', async () => {
    // Its top level counts its runs on this thread (the loader's probe thread has its own globals).
    const counting = (name: string): string => `const g = globalThis as { loadsOf?: Record<string, number> };\ng.loadsOf ??= {};\ng.loadsOf['${name}'] = (g.loadsOf['${name}'] ?? 0) + 1;\nexport default { name: '${name}', vms: 2, devices: [] as unknown[] };\n`;
    const dir = folder('loaded-once', { type: 'module' }, { 'once.ts': counting('once') });
    const file = join(dir, 'once.ts');
    const runs = (): number | undefined => (globalThis as { loadsOf?: Record<string, number> }).loadsOf?.['once'];
    const first = await loadScenarioModule(file);
    await loadScenarioModule(file);
    expect(runs()).toBe(1);
    expect((await loadScenarioModule(file)).name).toBe(first.name);
    // Edited (a later modification time): another module.
    writeFileSync(file, counting('once'));
    utimesSync(file, new Date(), new Date(Date.now() + 5_000));
    await loadScenarioModule(file);
    expect(runs()).toBe(2);
  });

  it('say so when the default export is not a scenario', async () => {
    const dir = folder('not-a-scenario', null, { 'x.ts': 'export default 42;\n' });
    await expect(loadScenarioModule(join(dir, 'x.ts'))).rejects.toThrow(/the default export is 42, not a scenario/);
  });

  it('from the command line: one line on stderr naming file and line, exit 2', () => {
    const dir = join(root, 'broken');
    const run = spawnSync(process.execPath, [resolve('bin/vmmsim.js'), 'run', '--runtime', 'sim', '--scenario', 'broken.ts', '--no-trace'], { cwd: dir, encoding: 'utf8', ...childBound() });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^vmmsim: cannot load scenario broken\.ts:2:\d+: Expected "}" but found ";"\n$/);
    expect(run.stdout).toBe('');
  });

  it("from the command line: a CommonJS folder's .ts scenario that imports 'vmmsim' runs", () => {
    // Inside the repository 'vmmsim' resolves to this package itself (its exports map).
    const stdout = execFileSync(process.execPath, ['bin/vmmsim.js', 'run', '--runtime', 'sim', '--scenario', 'test/fixtures/libraryScenario.ts', '--steps', '300', '--json', '--no-trace'], { encoding: 'utf8', ...childBound() });
    expect((JSON.parse(stdout) as { scenario: string }).scenario).toBe('library-user');
  });

  it("a throw in a CommonJS folder's .ts scenario: named by its file on every thread, so explore --workers 2 shrinks it and writes its trace", () => {
    // tsx runs such a file as a data: URL ending in ?filePath=...?namespace=<a new id per load>:
    // the throw's place once carried the id, so the pool thread's throw and the shrinker's re-run
    // of it were two different lines (was: an internal error, exit 70).
    const library = JSON.stringify(resolve('dist/src/index.js'));
    const dir = folder('cjs-throw', { name: 'user', version: '1.0.0' }, {
      'throws.ts': `import { defineDevice, defineScenario, timer } from ${library};
const device = defineDevice<{ n: number }>({
  name: 'd', state: () => ({ n: 0 }), irqs: [{ irq: 5, hwIntProc: 'hwInt', meanIntervalTicks: 60 }], slots: [], entries: ['poke'],
  procs: {
    hwInt(r) { r.takeHardwareRequest(5); r.physEoi(r.irqHandle(5)); },
    poke(r) { if (++r.state.n > 3) throw new Error('too many pokes'); },
  },
});
export default defineScenario({ name: 'cjs-user', vms: 2, devices: [timer, device], mix: { run: 25, trap: 65, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 20 }, steps: 30 });
`,
    });
    const place = `\\(at ${join(dir, 'throws.ts').replace(/[.]/g, '\\.')}, compiled code \\d+:\\d+\\)`;
    const run = spawnSync(process.execPath, [resolve('bin/vmmsim.js'), 'run', '--runtime', 'sim', '--scenario', 'throws.ts', '--no-trace'], { cwd: dir, encoding: 'utf8', ...childBound() });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 1, stderr: expect.stringMatching(new RegExp(`^vmmsim: device d, procedure poke threw: too many pokes ${place}\n$`)) });
    const explored = spawnSync(process.execPath, [resolve('bin/vmmsim.js'), 'explore', 'throws.ts', '--iterations', '300', '--workers', '2', '--out', 'traces'], { cwd: dir, encoding: 'utf8', ...childBound() });
    expect({ status: explored.status, stderr: explored.stderr }).toEqual({ status: 1, stderr: '' });
    expect(explored.stdout).toMatch(new RegExp(`FOUND device bug deviceThrew \\[d\\] in execution \\d+ \\(\\w+\\)[^:\n]*: device d, procedure poke threw: too many pokes ${place}\n  shrunk`));
    expect(explored.stdout).toMatch(/replay it: (npx vmmsim|node \S+\/bin\/vmmsim\.js) replay traces\/explore-cjs-user-portfolio-1-\w+\.json/);
  }, 120_000);
});
