/**
 * The vmmsim version a process runs, from its package.json. A job carries the coordinator's;
 * a worker of another version refuses it, since another model could compute other results.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findVersion(): string {
  // src/distributed/ from the sources, dist/src/distributed/ when built: walk up to the package.
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'vmmsim') return pkg.version ?? 'unknown';
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

export const VMMSIM_VERSION = findVersion();
