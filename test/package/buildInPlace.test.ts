/**
 * `npm test` builds first (`npm run build`), in the checkout, while another `npm test` in the
 * same checkout may be running the CLI and worker threads from dist/. A build that rewrote every
 * file would truncate them under that run's feet (a half-written module fails to load). So the
 * build is incremental: when dist/ is up to date it writes nothing at all, which also lets the
 * suite run in a checkout that cannot be written after `npm ci`.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BUILD_MS = 240_000;

/** Every file under dir with its modification time and size. */
function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const stats = statSync(path);
    files[path] = `${stats.mtimeMs}:${stats.size}`;
  }
  return files;
}

describe('npm run build on an up-to-date dist/', () => {
  const build = (): string => execFileSync('npm', ['run', 'build', '--silent'], { encoding: 'utf8', ...childBound() });

  it('writes no file', () => {
    // Up to date first (npm test has just built it: this writes nothing there either).
    build();
    const before = snapshot('dist');
    expect(Object.keys(before)).toContain(join('dist', '.tsbuildinfo'));
    build();
    expect(snapshot('dist')).toEqual(before);
  }, BUILD_MS);
});
