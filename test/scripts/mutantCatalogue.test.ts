// The mutants of `npm run mutants` stay applicable as the core changes: each one's search text
// stands exactly once in its file (a refactor that moves it must move the mutant too), and each
// replacement really changes the code. docs/conformance.md names each of them beside its rule, and
// names no mutant the catalogue does not have.
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

  it('docs/conformance.md names every mutant beside a rule, and only mutants the catalogue has', () => {
    const rows = readFileSync('docs/conformance.md', 'utf8').split('\n').filter((line) => line.startsWith('| ') && !line.startsWith('| rule') && !line.startsWith('| ---'));
    // The last cell of a row names its mutants: `kebab-case-ids`, `wait-not-*-ignored` for a family.
    const named = rows.flatMap((row) => [...(row.split(' | ').at(-1) ?? '').matchAll(/`([a-z0-9]+(?:-[a-z0-9*]+)+)`/g)].map((m) => m[1]!));
    const ids = MUTANTS.map((m) => m.id);
    const matches = (pattern: string, id: string): boolean => new RegExp(`^${pattern.replace(/\*/g, '[a-z0-9-]+')}$`).test(id);
    expect(named.filter((pattern) => !ids.some((id) => matches(pattern, id)))).toEqual([]);
    expect(ids.filter((id) => !named.some((pattern) => matches(pattern, id)))).toEqual([]);
  });
});
