/**
 * A worker runs a module scenario only if its file at the coordinator's path holds the same
 * bytes (SHA-256) as the coordinator's, and only the version it first loaded (modules stay
 * cached in a process).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeScenarioFile, ScenarioFileCheck, ScenarioFileError } from '../../src/distributed/scenarioFile.js';

describe('scenario file check', () => {
  it('accepts the same bytes, refuses a different or missing file, and a file changed since it was loaded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-scenario-file-'));
    const path = join(dir, 'scenario.ts');
    writeFileSync(path, 'export default 1;\n');
    const coordinators = describeScenarioFile(path);
    expect(coordinators.path).toBe(path);
    const check = new ScenarioFileCheck();
    expect(() => check.verify(coordinators)).not.toThrow();

    writeFileSync(path, 'export default 2;\n');
    expect(() => check.verify(coordinators)).toThrow(/differs on this machine/);
    // The coordinator now has the new version, but this worker still holds the old module.
    expect(() => check.verify(describeScenarioFile(path))).toThrow(/changed since this worker loaded it/);
    // A fresh worker takes the new version.
    expect(() => new ScenarioFileCheck().verify(describeScenarioFile(path))).not.toThrow();

    rmSync(path);
    expect(() => check.verify(coordinators)).toThrow(ScenarioFileError);
    expect(() => check.verify(coordinators)).toThrow(/not on this machine/);
  });
});
