/**
 * `mkdir -p`, one level at a time. Node's `mkdirSync(path, { recursive: true })` retries for
 * ever where the kernel answers ENOENT for a directory it will never make (under /proc, for
 * root): a run given `--trace /proc/x/t.json` hung before its first step. Here each missing
 * level is made once, from the nearest existing ancestor down, and the first that fails throws
 * (its errno and path, as mkdirSync reports them).
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export function makeDirs(path: string): void {
  const missing: string[] = [];
  for (let at = resolve(path); !exists(at); at = dirname(at)) {
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir);
    } catch (error) {
      // Made meanwhile by another writer: fine.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

function exists(path: string): boolean {
  try {
    statSync(path);
    return true;
  } catch {
    return false;
  }
}
