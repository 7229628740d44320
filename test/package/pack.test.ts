/**
 * The package as a user gets it: `npm pack`, installed from the tarball into an empty folder
 * made by `npm init -y` (a CommonJS package), then `npx vmmsim --version`, an exploration of a
 * `.ts` scenario that imports from 'vmmsim', and `tsc` type-checking that scenario against the
 * installed package's types.
 *
 * `npm test` has just built dist/, so the tarball is packed with --ignore-scripts: prepack's clean
 * build would pull dist/ from under the tests running beside this one. The install prefers the
 * npm cache that `npm ci` filled (--prefer-offline): the registry is asked only for what the
 * cache lacks.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const NPM_MS = 240_000;
const repo = resolve('.');
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const root = mkdtempSync(join(tmpdir(), 'vmmsim-pack-'));
const user = join(root, 'user');
let packed: { files: { path: string }[]; filename: string };

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8', env: { ...process.env, npm_config_update_notifier: 'false' } });
}

function inUser(command: string, args: string[]): string {
  return execFileSync(command, args, { cwd: user, encoding: 'utf8' });
}

describe('the packed package, installed in an empty CommonJS folder', () => {
  beforeAll(() => {
    packed = (JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', root], repo)) as typeof packed[])[0]!;
    execFileSync('mkdir', [user]);
    npm(['init', '-y'], user);
    npm(['install', '--prefer-offline', join(root, packed.filename)], user);
    copyFileSync('test/fixtures/libraryScenario.ts', join(user, 'scenario.ts'));
  }, NPM_MS);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('ships the compiled code, its workers and types, and no tests or sources', () => {
    const paths = packed.files.map((f) => f.path);
    for (const needed of ['bin/vmmsim.js', 'dist/src/cli/main.js', 'dist/src/index.d.ts', 'dist/workers/vmmActor.js', 'dist/bench/suite.js', 'dist/examples/zoo/index.js', 'README.md']) {
      expect(paths).toContain(needed);
    }
    expect(paths.filter((p) => /^(test|src|\.ci|bench|examples)\//.test(p) || p.endsWith('.map'))).toEqual([]);
    expect((JSON.parse(readFileSync(join(user, 'package.json'), 'utf8')) as { type?: string }).type ?? 'commonjs').toBe('commonjs');
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
    const out = execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', 'nodenext', '--target', 'es2022', 'scenario.ts'], { cwd: user, encoding: 'utf8' });
    expect(out).toBe('');
  }, NPM_MS);
});
