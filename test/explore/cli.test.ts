import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/shared/traceFile.js';

/** The CLI from source (tsx), so the test needs no build. */
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const SPAWN_TIMEOUT_MS = 90_000;

function vmmsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8' });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-explore-'));

describe('vmmsim explore', () => {
  it('finds the flaky driver race, writes a shrunk trace, and replay reproduces it', () => {
    const found = vmmsim('explore', 'examples/scenarios/flaky-driver.ts', '--strategy', 'pct', '--iterations', '500', '--out', dir, '--json');
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout) as { found: boolean; violation: { kind: string }; trace: string; replay: string };
    expect(report.found).toBe(true);
    expect(report.violation.kind).toBe('refillAfterStop');
    expect(report.replay).toBe(`npx vmmsim replay ${report.trace}`);
    const replayed = vmmsim('replay', report.trace, '--json');
    expect(replayed.code).toBe(1);
    const replay = JSON.parse(replayed.stdout) as { reproduced: boolean; firstViolation: { kind: string } };
    expect(replay.reproduced).toBe(true);
    expect(replay.firstViolation.kind).toBe('refillAfterStop');
    expect(readTraceFile(report.trace)).toMatchObject({ format: 'vmmsim-trace', scenario: { kind: 'module' } });
  }, SPAWN_TIMEOUT_MS);

  it('rejects bad input with one line and exit 2', () => {
    const refused = [
      ['--strategy', 'bfs'], ['--zoo', 'some.ts'], ['missing-file.ts'],
      // One workload's dfs runs on one worker; a count outside 1..1024 is no count.
      ['--strategy', 'dfs', '--workloads', '1', '--workers', '2'], ['--workloads', '0'], ['--workloads', '1025'],
    ];
    for (const args of refused) {
      const { code, stderr } = vmmsim('explore', ...args);
      expect(code, args.join(' ')).toBe(2);
      expect(stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, SPAWN_TIMEOUT_MS);
});
