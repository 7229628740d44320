// The package's entry (`import … from 'vmmsim'`) is all a scenario outside the source tree needs:
// the CLI loads such a scenario, runs it, and its device's events are called and scheduled.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

describe("a scenario that imports from 'vmmsim'", () => {
  it('runs under vmmsim run with every invariant holding', () => {
    const stdout = execFileSync(process.execPath, [
      'bin/vmmsim.js', 'run', '--runtime', 'sim', '--scenario', 'test/fixtures/libraryScenario.ts', '--steps', '2000', '--json', '--no-trace',
    ], { encoding: 'utf8', ...childBound() });
    const report = JSON.parse(stdout) as { scenario: string; invariantsOk: boolean; deviceBugs: number; counts: { calledNow: number; scheduled: number; dispatched: number } };
    expect(report.scenario).toBe('library-user');
    expect(report.invariantsOk).toBe(true);
    expect(report.deviceBugs).toBe(0);
    expect(report.counts.calledNow).toBeGreaterThan(0);
    expect(report.counts.scheduled).toBeGreaterThan(0);
    expect(report.counts.dispatched).toBeGreaterThan(0);
  }, 60_000);
});
