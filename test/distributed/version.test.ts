// README: "a job carries the coordinator's build (its version and a fingerprint of the code it
// runs), and a worker of another build refuses it".
import { readFileSync } from 'node:fs';
import { UnrecoverableError } from 'bullmq';
import { describe, expect, it, vi } from 'vitest';
import { buildId, packageVersion } from '../../src/shared/packageInfo.js';
import { sameBuild } from '../../src/distributed/processors.js';
import { specDigest } from '../../src/distributed/checkpoint.js';
import { spec as dfsSpec } from '../support/dfsFixtures.js';

describe('the build a job carries', () => {
  const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };

  it("is the package's version and a fingerprint of the code, the same each time it is asked", () => {
    expect(packageVersion()).toBe(pkg.version);
    expect(buildId()).toMatch(new RegExp(`^${pkg.version.replace(/\./g, '\\.')}\\+[0-9a-f]{16}$`));
    expect(buildId()).toBe(buildId());
  });

  it('a job of the same build is taken; one of the same version built from other code is refused, naming both', () => {
    expect(() => sameBuild(buildId())).not.toThrow();
    const other = `${pkg.version}+0123456789abcdef`;
    expect(() => sameBuild(other)).toThrow(UnrecoverableError);
    expect(() => sameBuild(other)).toThrow(/the coordinator build .*0123456789abcdef: the same version built from other code/);
    expect(() => sameBuild('0.0.1+0123456789abcdef')).toThrow(/this worker runs vmmsim .*, the coordinator 0\.0\.1\+0123456789abcdef$/);
  });

  it("is part of a campaign's digest (a resume under another build is another campaign)", async () => {
    const spec = dfsSpec(10, 1, 1);
    const here = specDigest(spec, null);
    vi.resetModules();
    vi.doMock('../../src/shared/packageInfo.js', () => ({ buildId: () => `${pkg.version}+ffffffffffffffff`, packageVersion: () => pkg.version }));
    try {
      const other = await import('../../src/distributed/checkpoint.js');
      expect(other.specDigest(spec, null)).not.toBe(here);
    } finally {
      vi.doUnmock('../../src/shared/packageInfo.js');
    }
    expect(specDigest(spec, null)).toBe(here);
  });
});
