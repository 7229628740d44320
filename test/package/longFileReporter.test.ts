/**
 * The suite's own reporter (test/support/longFileReporter.ts), which names a test file that runs
 * long, so that a CI run stopped at its time limit says where it was: by its rules on a clock the
 * test moves, and in a real vitest run whose one test blocks its fork's event loop.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { TestCase, TestModule } from 'vitest/node';
import LongFileReporter from '../support/longFileReporter.js';
import { childBound } from '../support/childBound.js';

const moduleOf = (moduleId: string): TestModule => ({ moduleId }) as TestModule;
const testIn = (moduleId: string, fullName: string): TestCase => ({ module: moduleOf(moduleId), fullName }) as TestCase;

describe('the long-file reporter', () => {
  it('names a file each time it has run another everyMs, with the last test it reported started, and forgets it when it ends', () => {
    let now = 0;
    const lines: string[] = [];
    const reporter = new LongFileReporter({ everyMs: 1000, write: (l) => lines.push(l), nowMs: () => now });
    reporter.onTestModuleStart(moduleOf('/x/slow.test.ts'));
    reporter.onTestModuleStart(moduleOf('/x/quick.test.ts'));
    now = 999;
    reporter.check();
    expect(lines).toEqual([]);
    reporter.onTestModuleEnd(moduleOf('/x/quick.test.ts'));
    now = 1000;
    reporter.check();
    expect(lines).toEqual(['vitest: /x/slow.test.ts has run for 1 s, no test of it reported started yet']);
    reporter.onTestCaseReady(testIn('/x/slow.test.ts', 'a suite > waits'));
    now = 1500;
    reporter.check();
    expect(lines).toHaveLength(1);
    now = 2000;
    reporter.check();
    expect(lines[1]).toBe('vitest: /x/slow.test.ts has run for 2 s, the last test it reported started: "a suite > waits"');
    reporter.onTestModuleEnd(moduleOf('/x/slow.test.ts'));
    now = 9000;
    reporter.check();
    expect(lines).toHaveLength(2);
  });

  const dir = mkdtempSync(join(tmpdir(), 'vmmsim-long-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('in a real run, names a file whose test blocks its event loop, while it blocks', () => {
    const config = join(dir, 'vitest.config.mjs');
    // Its cache in the scratch folder, not beside the fixture in the checkout.
    writeFileSync(config, `export default { cacheDir: ${JSON.stringify(join(dir, 'cache'))}, test: { root: ${JSON.stringify(resolve('test/package/fixtures/longFile'))}, include: ['*.fixture.ts'], pool: 'forks',
      reporters: ['default', [${JSON.stringify(resolve('test/support/longFileReporter.ts'))}, { everyMs: 1000, pollMs: 100 }]] } };\n`);
    const run = spawnSync(process.execPath, [resolve('node_modules/vitest/vitest.mjs'), 'run', '--config', config, '--configLoader', 'runner'], { encoding: 'utf8', ...childBound(120_000) });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/vitest: (\S*\/)?blocks\.fixture\.ts has run for [12] s, /);
  }, 120_000);
});
