import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/shared/traceFile.js';
import { childBound } from '../support/childBound.js';

/** The CLI from source (tsx), so the test needs no build. */
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const SPAWN_TIMEOUT_MS = 90_000;

function vmmsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const out = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', ...childBound() });
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

  it('dfs --workloads N: stops at workload k\'s violation, names every workload\'s outcome, and the printed replay command reproduces it', () => {
    const args = ['explore', 'examples/scenarios/flaky-driver.ts', '--strategy', 'dfs', '--steps', '6', '--irq-budget', '1', '--preemption-bound', '1', '--workloads', '8', '--out', dir];
    const found = vmmsim(...args, '--json');
    expect(found.code).toBe(1);
    const report = JSON.parse(found.stdout) as { workloads: number; workloadSeeds: number[]; exhausted: boolean; byWorkload: { workload: number; seed: number; status: string; executions: number }[]; violation: { workloadSeed: number; execution: number }; trace: string; replay: string };
    expect(report.workloads).toBe(8);
    expect(report.exhausted).toBe(false);
    expect(report.byWorkload.map((w) => w.seed)).toEqual(report.workloadSeeds);
    const k = report.byWorkload.findIndex((w) => w.status === 'violation');
    expect(report.violation.workloadSeed).toBe(report.workloadSeeds[k]);
    expect(report.violation.execution).toBe(report.byWorkload.slice(0, k + 1).reduce((sum, w) => sum + w.executions, 0));
    const replayed = vmmsim(...report.replay.split(' ').slice(2), '--json');
    expect(replayed.code).toBe(1);
    expect(JSON.parse(replayed.stdout)).toMatchObject({ reproduced: true });
    const text = vmmsim(...args, '--workers', '2');
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('up to 1,000 executions on 2 worker(s)');
    expect(text.stdout).toContain(`  workloads: exhausted 0-${k - 1}; stopped at the violation ${k}; not searched ${k + 1}-7\n`);
  }, 2 * SPAWN_TIMEOUT_MS);

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
