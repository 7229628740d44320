/**
 * A scenario outside any project that has vmmsim installed (what a global install or npx meets):
 * its 'vmmsim' resolves to the vmmsim loading it, from an ES module, CommonJS, and a `.ts` that
 * tsx compiles either way; any other name it cannot resolve still fails as Node says. The packed,
 * globally installed case runs in pack.test.ts; this one loads from the source tree, quickly.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenarioModule } from '../../src/scenario/load.js';

// Three modules, each compiled and loaded twice (on a probe thread first): slow on a loaded machine.
const LOAD_MS = 120_000;
const root = mkdtempSync(join(tmpdir(), 'vmmsim-own-name-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const folders = {
  'no-package': null,
  commonjs: { name: 'user', version: '1.0.0', type: 'commonjs' },
  module: { name: 'user', version: '1.0.0', type: 'module' },
};

beforeAll(() => {
  for (const [name, packageJson] of Object.entries(folders)) {
    const dir = join(root, name);
    mkdirSync(dir);
    if (packageJson !== null) writeFileSync(join(dir, 'package.json'), JSON.stringify(packageJson));
    copyFileSync('test/fixtures/libraryScenario.ts', join(dir, 'scenario.ts'));
    copyFileSync('test/package/fixtures/ownNameScenario.mjs', join(dir, 'scenario.mjs'));
    copyFileSync('test/package/fixtures/ownNameScenario.cjs', join(dir, 'scenario.cjs'));
  }
  writeFileSync(join(root, 'other.mjs'), "import 'vmmsim-other';\nexport default {};\n");
});

describe("a scenario's 'vmmsim' where Node finds no vmmsim", () => {
  it('has none to find, above the scenarios or beside them', () => {
    for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules', 'vmmsim'))).toBe(false);
  });

  for (const folder of Object.keys(folders)) {
    it(`resolves to the running vmmsim from .ts, .mjs and .cjs in a ${folder} folder`, async () => {
      const names = [];
      for (const file of ['scenario.ts', 'scenario.mjs', 'scenario.cjs']) names.push((await loadScenarioModule(join(root, folder, file))).name);
      expect(names).toEqual(['library-user', 'own-name-esm', 'own-name-cjs']);
    }, LOAD_MS);
  }

  it('leaves every other name as Node resolves it (not found)', async () => {
    await expect(loadScenarioModule(join(root, 'other.mjs'))).rejects.toThrow(/Cannot find package 'vmmsim-other'/);
  }, LOAD_MS);
});
