/**
 * Which vmmsim this process runs: the package's version, and its build, a fingerprint of the
 * code that computes results. A queue job carries the coordinator's build and a worker of
 * another build refuses it: a checkout edited and rebuilt without a version bump (the usual
 * case) kept the version, and its worker folded other results into the campaign in silence
 * (an outside audit: 232 executions to a violation against 399 locally, same seed).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's folder: the nearest one above this file (src/shared, or dist/src/shared built) whose package.json is vmmsim's. */
function packageRoot(): { dir: string; version: string } | null {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'vmmsim') return { dir, version: pkg.version ?? 'unknown' };
    }
    if (dirname(dir) === dir) return null;
  }
}

export function packageVersion(): string {
  return packageRoot()?.version ?? 'unknown';
}

/** The folders whose code a result depends on: the simulator, the bug zoo, the worker entries. */
const CODE_FOLDERS = ['src', 'examples', 'workers'];

let build: string | undefined;

/**
 * `<version>+<fingerprint>`: the SHA-256 (first 16 hex digits) of the code this process runs,
 * each file's path and bytes, in path order. Built, that is dist/'s JavaScript; from the
 * sources (tsx, the tests), the TypeScript. Computed once, when first asked (~6 MB read).
 */
export function buildId(): string {
  if (build !== undefined) return build;
  const root = packageRoot();
  if (root === null) return (build = 'unknown');
  const fromSources = import.meta.url.endsWith('.ts');
  const base = fromSources ? root.dir : join(root.dir, 'dist');
  const extension = fromSources ? '.ts' : '.js';
  const hash = createHash('sha256');
  for (const folder of CODE_FOLDERS) {
    for (const file of filesUnder(join(base, folder), extension)) hash.update(`${relative(base, file)}\0`).update(readFileSync(file)).update('\0');
  }
  return (build = `${root.version}+${hash.digest('hex').slice(0, 16)}`);
}

function filesUnder(dir: string, extension: string): string[] {
  if (!existsSync(dir)) return [];
  const entries = readdirSync(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(extension) && !entry.name.endsWith(`.d${extension}`))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
