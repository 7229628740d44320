/**
 * A shrink candidate that never returns (device code in a loop with no service call, which only
 * the watchdog ends). It ends the command's thread with it, so explore writes the finding's
 * trace as found before it shrinks, and the hang report names that trace: exit 1, the finding
 * with a trace that replays to it. Before, the report said the hang came "outside an execution",
 * exit 3, and the finding had no trace.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = 'bin/vmmsim.js';
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-shrink-hang-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const vmmsim = (...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { encoding: 'utf8', ...childBound(120_000) });
const explore = (...flags: string[]) => vmmsim('explore', 'test/explore/fixtures/hangWhenFirst.ts', '--workloads', '1', '--seed', '1', '--watchdog', '1s', '--out', dir, ...flags);

describe('a hang while shrinking a finding', () => {
  it("names the finding's trace as found, which replays to the violation; exit 1", () => {
    const found = explore();
    expect(found.status, found.stderr).toBe(1);
    const lines = found.stderr.trim().split('\n');
    expect(lines[0]).toMatch(/^vmmsim: watchdog: device spinner, procedure spin has not returned for 1\.0 s/);
    expect(lines[1]).toMatch(/^vmmsim: the hang came after the campaign found a violation, while its trace was shrunk or checked \(.*\)$/);
    // What it found, as the FOUND line of a report says it (the report itself died with the thread).
    expect(lines[2]).toMatch(/^vmmsim: FOUND device bug staleCancel: spinner cancelled global event 0x[0-9a-f]+, which already ran/);
    const said = /^vmmsim: its trace as found, not shrunk: (\S+) \(\S+ vmmsim replay (\S+)\)$/.exec(lines[3]!);
    expect(said, found.stderr).not.toBeNull();
    expect(said![2]).toBe(said![1]);
    const replay = vmmsim('replay', said![1]!);
    expect(replay.status).toBe(1);
    expect(replay.stdout).toMatch(/^ {2}reproduced exactly: /m);
    expect(replay.stdout).toMatch(/staleCancel/);
  });

  it('--json: the hung report says so and carries the trace', () => {
    const found = explore('--json');
    expect(found.status, found.stderr).toBe(1);
    const { hung } = JSON.parse(found.stdout) as { hung: { afterFinding: boolean; trace: string; replay: string; noTrace: string | null; steps: number; violation: { kind: string } } };
    expect(hung).toMatchObject({ afterFinding: true, noTrace: null, violation: { kind: 'staleCancel', severity: 'device' } });
    expect(hung.replay).toContain(hung.trace);
    expect(hung.steps).toBeGreaterThan(0);
  });

  it('--no-shrink never shrinks, so never hangs: the finding and its trace as usual', () => {
    const found = explore('--no-shrink');
    expect(found.status).toBe(1);
    expect(found.stderr).toBe('');
    expect(found.stdout).toMatch(/FOUND device bug staleCancel/);
  });

  // `vmmsim shrink` of that trace meets the same candidate: it says a run of the shrink never
  // returned (not "the run", which replays fine), and names the smallest run it had kept, which
  // it writes as it keeps each (before: exit 3, one line, nothing written, nothing on --json).
  it('vmmsim shrink: names the smallest run kept so far, which replays to the violation; the input is untouched; exit 3', () => {
    const found = explore('--no-shrink', '--json');
    const { trace } = JSON.parse(found.stdout) as { trace: string };
    const given = readFileSync(trace, 'utf8');
    const shrunk = vmmsim('shrink', trace, '--watchdog', '1s', '--json');
    expect(shrunk.status).toBe(3);
    const lines = shrunk.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^vmmsim: watchdog: device spinner, procedure spin has not returned for 1\.0 s .*; the shrink is ended: a run never returned \(a candidate, which with ops or IRQs removed can meet a loop the given run does not, or the given run itself\); /);
    const kept = /; the smallest run kept so far, not proven 1-minimal: (\S+) \(/.exec(lines[0]!)?.[1];
    expect(kept, shrunk.stderr).toBe(trace.replace(/\.json$/, '.shrunk.json'));
    expect(JSON.parse(shrunk.stdout)).toMatchObject({ hung: { trace: kept, minimal: false } });
    expect(readFileSync(trace, 'utf8')).toBe(given);
    const replay = vmmsim('replay', kept!);
    expect(replay.stdout).toMatch(/^ {2}reproduced exactly: /m);
    expect(replay.stdout).toMatch(/staleCancel/);
  });
});
