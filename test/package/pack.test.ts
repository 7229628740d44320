/**
 * The package as a user gets it: `npm pack`, installed from the tarball into an empty folder
 * made by `npm init -y` (a CommonJS package), then `npx vmmsim --version`, an exploration of a
 * `.ts` scenario that imports from 'vmmsim', and `tsc` type-checking that scenario against the
 * installed package's types. Then that installed vmmsim run from a folder with no node_modules,
 * as a global install (`npm install -g`) or npx's cache runs it: the scenarios' 'vmmsim'
 * resolves to the vmmsim that runs them.
 *
 * `npm test` has just built dist/, so the tarball is packed with --ignore-scripts: prepack's clean
 * build would pull dist/ from under the tests running beside this one. The install needs no
 * registry (lockedInstall.ts): the suite runs with no network once `npm ci` is done.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { installLocked, npm, NPM_MS } from './lockedInstall.js';
import { childBound } from '../support/childBound.js';

const repo = resolve('.');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const root = mkdtempSync(join(tmpdir(), 'vmmsim-pack-'));
const user = join(root, 'user');
let packed: { files: { path: string }[]; filename: string };

beforeAll(() => {
  packed = (JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', root], repo)) as typeof packed[])[0]!;
}, NPM_MS);

// An installed package with its dependencies: slow to delete on a loaded machine.
afterAll(() => rmSync(root, { recursive: true, force: true }), NPM_MS);

function inUser(command: string, args: string[]): string {
  return execFileSync(command, args, { cwd: user, encoding: 'utf8', ...childBound() });
}

describe('the packed package, installed in an empty CommonJS folder', () => {
  beforeAll(() => {
    mkdirSync(user);
    npm(['init', '-y'], user);
    copyFileSync(join(root, packed.filename), join(user, packed.filename));
    installLocked(user, join(user, packed.filename), repo);
    copyFileSync('test/fixtures/libraryScenario.ts', join(user, 'scenario.ts'));
  }, NPM_MS);

  it('ships the compiled code, its workers and types, and no tests or sources', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['bin/vmmsim.js', 'dist/src/cli/main.js', 'dist/src/index.d.ts', 'dist/workers/vmmActor.js', 'dist/bench/suite.js', 'dist/examples/zoo/index.js', 'README.md']) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((p) => /^(test|src|\.ci|bench|examples)\//.test(p) || p.endsWith('.map'))).toEqual([]);
    expect((JSON.parse(readFileSync(join(user, 'package.json'), 'utf8')) as { type?: string }).type ?? 'commonjs').toBe('commonjs');
  });

  // A fresh-machine audit: the installed README linked docs/ the package did not ship.
  it("ships every file the README links to (a relative link names a packed file)", () => {
    const paths = new Set(packed.files.map((f) => f.path));
    const links = [...readFileSync('README.md', 'utf8').matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)].map((m) => m[1]!).filter((link) => !/^[a-z]+:/.test(link));
    expect(links.length).toBeGreaterThan(5);
    expect(links.filter((link) => !paths.has(link))).toEqual([]);
  });

  it('answers npx vmmsim --version', () => {
    expect(inUser('npx', ['vmmsim', '--version']).trim()).toBe(version);
  }, NPM_MS);

  it("explores a .ts scenario that imports from 'vmmsim'", () => {
    const report = JSON.parse(inUser('npx', ['vmmsim', 'explore', 'scenario.ts', '--iterations', '20', '--json', '--out', 'traces'])) as {
      scenario: string; executions: number;
    };
    expect(report.scenario).toBe('library-user');
    expect(report.executions).toBe(20);
  }, NPM_MS);

  it("type-checks that scenario against the installed package's types (tsc, strict)", () => {
    const tsc = join(repo, 'node_modules', 'typescript', 'bin', 'tsc');
    const out = execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', 'scenario.ts'], { cwd: user, encoding: 'utf8', ...childBound() });
    expect(out).toBe('');
  }, NPM_MS);
});

describe('run from a folder with no node_modules/vmmsim (as a global install or npx runs it)', () => {
  const anywhere = join(root, 'anywhere');
  const vmmsim = (args: string[]): string => execFileSync(join(user, 'node_modules', '.bin', 'vmmsim'), args, { cwd: anywhere, encoding: 'utf8', ...childBound() });

  beforeAll(() => {
    mkdirSync(anywhere);
    copyFileSync('test/fixtures/libraryScenario.ts', join(anywhere, 'scenario.ts'));
    copyFileSync('test/package/fixtures/ownNameScenario.mjs', join(anywhere, 'scenario.mjs'));
    copyFileSync('test/package/fixtures/ownNameScenario.cjs', join(anywhere, 'scenario.cjs'));
  });
  it('has no vmmsim of its own to find, above it or in it', () => {
    for (let dir = anywhere; dir !== dirname(dir); dir = dirname(dir)) expect(existsSync(join(dir, 'node_modules', 'vmmsim'))).toBe(false);
  });

  // The .ts compiles to CommonJS here (no package.json), the .mjs loads as an ES module, the .cjs
  // is CommonJS: both of Node's resolvers meet the name 'vmmsim'.
  it.each([
    ['scenario.ts', 'library-user'],
    ['scenario.mjs', 'own-name-esm'],
    ['scenario.cjs', 'own-name-cjs'],
  ])("explores %s, whose 'vmmsim' is the vmmsim running it", (file, name) => {
    const report = JSON.parse(vmmsim(['explore', file, '--iterations', '5', '--json', '--out', 'traces'])) as { scenario: string; executions: number };
    expect(report).toMatchObject({ scenario: name, executions: 5 });
  }, NPM_MS);

  it('runs the .mjs scenario on threads (each actor thread loads it too)', () => {
    const report = JSON.parse(vmmsim(['run', '--scenario', 'scenario.mjs', '--duration', '300ms', '--json', '--no-trace'])) as { scenario?: unknown };
    expect(report.scenario).toBe('own-name-esm');
  }, NPM_MS);
});
