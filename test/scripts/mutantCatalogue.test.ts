// The mutants of `npm run mutants` stay applicable as the core changes: each one's search text
// stands exactly once in its file (a refactor that moves it must move the mutant too), and each
// replacement really changes the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MUTANTS } from '../../scripts/mutants/catalogue.js';

describe('the mutant catalogue', () => {
  it('has at least 30 mutants, with unique ids', () => {
    expect(MUTANTS.length).toBeGreaterThanOrEqual(30);
    expect(new Set(MUTANTS.map((m) => m.id)).size).toBe(MUTANTS.length);
  });

  it.each(MUTANTS.map((m) => [m.id, m] as const))('%s: its search text stands exactly once in its file', (_id, m) => {
    const text = readFileSync(m.file, 'utf8');
    expect(text.split(m.search).length - 1).toBe(1);
    expect(m.replace).not.toBe(m.search);
  });
});
