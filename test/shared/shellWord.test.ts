// A printed command must come back as the same arguments when pasted into a shell: the README's
// "a report of a failure is the command that replays it" holds for any path.
import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { shellLine, shellWord } from '../../src/shared/shellWord.js';
import { childBound } from '../support/childBound.js';

/** The arguments `sh` makes of a line. */
function shellSplits(line: string): string[] {
  const p = spawnSync('sh', ['-c', `for a in ${line}; do printf '%s\\0' "$a"; done`], { encoding: 'utf8', ...childBound() });
  return p.stdout.split('\0').slice(0, -1);
}

describe('shell words', () => {
  it('leaves a plain path as it is', () => {
    expect(shellWord('vmmsim-traces/explore-default-1-x.json')).toBe('vmmsim-traces/explore-default-1-x.json');
  });

  it('quotes a path with spaces, quotes, $ and globs so that sh gives it back whole', () => {
    const args = ['replay', '/tmp/out dir/it\'s $HOME *.json', 'tab\there', 'new\nline', ''];
    expect(shellSplits(shellLine(args).replace(/^/, ''))).toEqual(args);
  });

  it('any string comes back from sh unchanged (property)', () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: 'binary', minLength: 1 }).filter((s) => !s.includes('\0')), { minLength: 1, maxLength: 4 }), (args) => {
      expect(shellSplits(shellLine(args))).toEqual(args);
    }), { seed: 7, numRuns: 60 });
  });
});
