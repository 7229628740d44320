/**
 * Scenario modules load wherever they live: `.ts`, `.mts` and `.js`, in a CommonJS package (what
 * `npm init -y` makes), an ES module package, or a folder with no package.json; and a broken one
 * is reported in one line naming its file and line (exit 2 from the command line).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioModule, ScenarioError } from '../../src/scenario/load.js';

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
    const run = spawnSync(process.execPath, [resolve('bin/vmmsim.js'), 'run', '--runtime', 'sim', '--scenario', 'throws.ts', '--no-trace'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('vmmsim: cannot load scenario throws.ts:2:7: RangeError: no card\n');
  });

  it('say so when the default export is not a scenario', async () => {
    const dir = folder('not-a-scenario', null, { 'x.ts': 'export default 42;\n' });
    await expect(loadScenarioModule(join(dir, 'x.ts'))).rejects.toThrow(/the default export is 42, not a scenario/);
  });

  it('from the command line: one line on stderr naming file and line, exit 2', () => {
    const dir = join(root, 'broken');
    const run = spawnSync(process.execPath, [resolve('bin/vmmsim.js'), 'run', '--runtime', 'sim', '--scenario', 'broken.ts', '--no-trace'], { cwd: dir, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^vmmsim: cannot load scenario broken\.ts:2:\d+: Expected "}" but found ";"\n$/);
    expect(run.stdout).toBe('');
  });

  it("from the command line: a CommonJS folder's .ts scenario that imports 'vmmsim' runs", () => {
    // Inside the repository 'vmmsim' resolves to this package itself (its exports map).
    const stdout = execFileSync(process.execPath, ['bin/vmmsim.js', 'run', '--runtime', 'sim', '--scenario', 'test/fixtures/libraryScenario.ts', '--steps', '300', '--json', '--no-trace'], { encoding: 'utf8' });
    expect((JSON.parse(stdout) as { scenario: string }).scenario).toBe('library-user');
  });
});
