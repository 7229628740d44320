// The printed commands name vmmsim as `npx vmmsim` only where npx finds this package from the
// working directory; elsewhere npx would fetch whatever the registry holds under that name (an
// outside audit ran vmmsim as `node /work/main/bin/vmmsim.js` from another folder).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { vmmsimInvocation } from '../../src/shared/invocation.js';

const ROOT = resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-invocation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('how a printed command names vmmsim', () => {
  it('inside the package, and below it: npx vmmsim', () => {
    expect(vmmsimInvocation(ROOT)).toBe('npx vmmsim');
    expect(vmmsimInvocation(join(ROOT, 'examples', 'zoo'))).toBe('npx vmmsim');
  });

  it('in a project that has vmmsim in node_modules/.bin, or a folder below it: npx vmmsim', () => {
    const project = join(dir, 'project');
    mkdirSync(join(project, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(join(project, 'node_modules', '.bin', 'vmmsim'), '');
    mkdirSync(join(project, 'scenarios'));
    expect(vmmsimInvocation(project)).toBe('npx vmmsim');
    expect(vmmsimInvocation(join(project, 'scenarios'))).toBe('npx vmmsim');
  });

  it('anywhere else: this copy\'s executable, by its absolute path', () => {
    const elsewhere = join(dir, 'elsewhere');
    mkdirSync(elsewhere);
    expect(vmmsimInvocation(elsewhere)).toBe(`node ${join(ROOT, 'bin', 'vmmsim.js')}`);
  });
});
