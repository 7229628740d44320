/**
 * Files a test leaves for people to look at (the timeline screenshots), under out/ in the
 * checkout. Two test runs at once in one checkout must not see each other's half-written file,
 * so each is written whole to a name of its own and renamed into place. A checkout that cannot be
 * written (made read-only after `npm ci`) gets none: looking at them is optional, the test's
 * checks are not.
 */
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const ARTIFACTS_DIR = resolve('out');

const UNWRITABLE = new Set(['EACCES', 'EPERM', 'EROFS']);
let written = 0;

/** Saves data as out/<path>; returns where, or undefined when out/ cannot be written. */
export function saveArtifact(path: string, data: Uint8Array | string): string | undefined {
  const file = join(ARTIFACTS_DIR, path);
  const partial = `${file}.${process.pid}.${written++}.partial`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(partial, data);
    renameSync(partial, file);
    return file;
  } catch (error) {
    rmSync(partial, { force: true });
    if (UNWRITABLE.has((error as NodeJS.ErrnoException).code ?? '')) return undefined;
    throw error;
  }
}
