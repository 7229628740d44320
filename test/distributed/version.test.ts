import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { VMMSIM_VERSION } from '../../src/distributed/version.js';

describe('the version a job carries', () => {
  it("is the package's own (what a worker compares with the coordinator's)", () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    expect(VMMSIM_VERSION).toBe(pkg.version);
  });
});
