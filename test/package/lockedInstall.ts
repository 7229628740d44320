/**
 * Installing the packed tarball into a folder with no registry at hand. `npm install <tarball>`
 * resolves every dependency's range against the registry (a package's metadata, which `npm ci`
 * does not leave in the cache), and with no network it waits for ever. So the folder gets a
 * package-lock.json made from the project's own: the tarball, and every dependency that is not
 * only a development one, at the version and integrity the project's `npm ci` installed. `npm ci` then
 * takes each from the cache that `npm ci` filled, by its integrity.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { childBound } from '../support/childBound.js';

interface LockEntry {
  dev?: boolean;
  devOptional?: boolean;
  devDependencies?: Record<string, string>;
  [field: string]: unknown;
}
interface Lock {
  packages: Record<string, LockEntry>;
}

/** Longer than any install should take; a hang (a registry that never answers) fails, saying so. */
export const NPM_MS = 240_000;

export function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd, encoding: 'utf8', ...childBound(NPM_MS), env: { ...process.env, npm_config_update_notifier: 'false' },
  });
}

/** Installs tarball (copied into dir beforehand) into dir, a package made by `npm init -y`. */
export function installLocked(dir: string, tarball: string, repo: string): void {
  const spec = `file:${basename(tarball)}`;
  const own = JSON.parse(readFileSync(join(repo, 'package-lock.json'), 'utf8')) as Lock;
  const packageJson = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; version: string; dependencies?: Record<string, string> };
  packageJson.dependencies = { vmmsim: spec };
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(packageJson, null, 2)}\n`);

  const { devDependencies: _dev, ...vmmsim } = own.packages['']!;
  const packages: Record<string, LockEntry> = {
    '': { name: packageJson.name, version: packageJson.version, dependencies: packageJson.dependencies },
    'node_modules/vmmsim': { ...vmmsim, resolved: spec },
  };
  for (const [path, { devOptional, ...entry }] of Object.entries(own.packages)) {
    // devOptional: a development dependency that is also an optional one of the package's own.
    if (path !== '' && entry.dev !== true) packages[path] = devOptional === true ? { ...entry, optional: true } : entry;
  }
  const lock = { name: packageJson.name, version: packageJson.version, lockfileVersion: 3, requires: true, packages };
  writeFileSync(join(dir, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`);
  npm(['ci', '--prefer-offline'], dir);
}
