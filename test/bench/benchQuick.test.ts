// `vmmsim bench --quick`: the report has the shape the issue asks for and every figure is a
// positive number. No timing thresholds: the figures themselves are for people to read.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { relaunchArgs, thisProcess, V8_POOL_FLAG } from '../../src/cli/relaunch.js';

const run = promisify(execFile);

function positive(value: unknown, name: string): void {
  expect(typeof value, name).toBe('number');
  expect(Number.isFinite(value as number) && (value as number) > 0, `${name} = ${String(value)}`).toBe(true);
}

describe('vmmsim bench --quick --json --out DIR', () => {
  it('prints one object with every figure, and writes bench.json, bench.md and bench.svg', async () => {
    const out = mkdtempSync(join(tmpdir(), 'vmmsim-bench-'));
    const { stdout } = await run(process.execPath, ['bin/vmmsim.js', 'bench', '--quick', '--json', '--out', out], { maxBuffer: 16 << 20 });
    const r = JSON.parse(stdout) as Record<string, unknown> & {
      eventPath: { vms: number; eventsPerSec: number }[];
      rawQueueMsgsPerSec: number[];
      latencyUs: Record<'count' | 'p50' | 'p99' | 'p999' | 'max', number>;
      latencyP99ToWakeRatio: number;
      latencyRuns: { p99Us: number; rawWakeP99Us: number; p99ToWakeRatio: number }[];
      fastCheck: { execsPerSec: number; execsToFirstBug: number };
      vmmsim: { execsToFirstBug: number };
      exploreScaling: { onePoolWorkerExecsPerSec: number; coldTwoWorkersExecsPerSec: number; iterations: number };
      machine: { cores: number; node: string };
      date: string;
    };
    expect(r.eventPath.map((row) => row.vms)).toEqual([1, 2, 4, 8]);
    r.eventPath.forEach((row) => positive(row.eventsPerSec, `eventPath[${row.vms}].eventsPerSec`));
    expect(r.rawQueueMsgsPerSec).toHaveLength(4);
    r.rawQueueMsgsPerSec.forEach((v, i) => positive(v, `rawQueueMsgsPerSec[${i}]`));
    positive(r.eventPathToRawRatio, 'eventPathToRawRatio');
    for (const p of ['p50', 'p99', 'p999', 'max'] as const) positive(r.latencyUs[p], `latencyUs.${p}`);
    positive(r.rawWakeRttUs, 'rawWakeRttUs');
    positive(r.latencyP99ToWakeRatio, 'latencyP99ToWakeRatio');
    // A quick bench makes one latency run: the figure is that run's.
    expect(r.latencyRuns).toHaveLength(1);
    expect(r.latencyRuns[0]!.p99ToWakeRatio).toBeCloseTo(r.latencyP99ToWakeRatio, 9);
    // Measured as `vmmsim run` runs (its node flags), and beside it with the other V8 pool size: a
    // whole distribution, its ratio to its own wake, and the two configurations differ.
    const asRun = r.latencyNodeFlags as string[];
    const other = r.latencyOtherV8Pool as { nodeFlags: string[]; latencyUs: Record<'count' | 'p50' | 'p99' | 'p999' | 'max', number>; rawWakeRttUs: { p99: number }; p99ToWakeRatio: number };
    expect(asRun).toEqual(relaunchArgs(['run'], thisProcess()) === null ? [] : [V8_POOL_FLAG]);
    expect(other.nodeFlags).not.toEqual(asRun);
    for (const p of ['count', 'p50', 'p99', 'p999', 'max'] as const) positive(other.latencyUs[p], `latencyOtherV8Pool.latencyUs.${p}`);
    expect(other.p99ToWakeRatio).toBeCloseTo(other.latencyUs.p99 / other.rawWakeRttUs.p99, 6);
    // The run with one VM actor (threads no more than cores): a whole distribution and its ratio.
    const oneVm = r.latencyOneVmActor as { vms: number; latencyUs: Record<'count' | 'p50' | 'p99' | 'p999' | 'max', number>; rawWakeP99Us: number; p99ToWakeRatio: number };
    expect(oneVm.vms).toBe(1);
    for (const p of ['count', 'p50', 'p99', 'p999', 'max'] as const) positive(oneVm.latencyUs[p], `latencyOneVmActor.latencyUs.${p}`);
    expect(oneVm.p99ToWakeRatio).toBeCloseTo(oneVm.latencyUs.p99 / oneVm.rawWakeP99Us, 6);
    // The gaps run: every long wait it kept is counted against one first cause.
    const gaps = r.latencyTailGaps as { points: number; longSamplesInKept: number; byCause: Record<string, { longSamples: number }> };
    positive(gaps.points, 'latencyTailGaps.points');
    expect(Object.keys(gaps.byCause)).toEqual(['cpuWait', 'gc', 'boundary', 'parked', 'creditWake', 'ifClear', 'longStep']);
    expect(Object.values(gaps.byCause).reduce((sum, share) => sum + share.longSamples, 0)).toBe(gaps.longSamplesInKept);
    // Every sample counted from the PIC's raise is at least as long as from "could interrupt".
    const fromRaise = r.latencyFromRaiseUs as Record<'count' | 'p50' | 'p99' | 'p999' | 'max', number>;
    expect(fromRaise.count).toBe(r.latencyUs.count);
    for (const p of ['p50', 'p99', 'p999', 'max'] as const) expect(fromRaise[p]).toBeGreaterThanOrEqual(r.latencyUs[p]);
    // The VMM actor's wall time is split whole: core, waiting for ops, between slices.
    for (const row of r.eventPath as unknown as { vmmTimePct: Record<string, number>; eventsPerVmmCpuSec: number | null; coreAloneEventsPerCpuSec: number; vmmCpuToCoreAlone: number | null }[]) {
      const { core, waitForOps, betweenSlices } = row.vmmTimePct;
      expect(core! + waitForOps! + betweenSlices!).toBeCloseTo(100, 0);
      // Beside each row, its bound: the core alone on the same scenario, and the VMM's share of it.
      positive(row.coreAloneEventsPerCpuSec, 'eventPath[].coreAloneEventsPerCpuSec');
      if (row.eventsPerVmmCpuSec !== null) expect(row.vmmCpuToCoreAlone).toBeCloseTo(row.eventsPerVmmCpuSec / row.coreAloneEventsPerCpuSec, 2);
    }
    // Each row's ratio is its median events over the median of its repetitions' raw floors (one
    // raw sample moves 2x between runs), and the headline ratio is the largest row's.
    for (const row of r.eventPath as unknown as { eventsPerSec: number; rawQueueMsgsPerSec: number; ratio: number; rawQueueSpread: { median: number; min: number; max: number } }[]) {
      expect(row.rawQueueMsgsPerSec).toBe(row.rawQueueSpread.median);
      expect(row.rawQueueSpread.min).toBeLessThanOrEqual(row.rawQueueSpread.median);
      expect(row.rawQueueSpread.max).toBeGreaterThanOrEqual(row.rawQueueSpread.median);
      expect(row.ratio).toBeCloseTo(row.eventsPerSec / row.rawQueueMsgsPerSec, 9);
    }
    expect(r.eventPathToRawRatio).toBe((r.eventPath as unknown as { ratio: number }[])[3]!.ratio);
    positive(r.simStepsPerSec, 'simStepsPerSec');
    positive(r.simCpuStepsPerSec, 'simCpuStepsPerSec');
    positive(r.simBytesPerStep, 'simBytesPerStep');
    expect(r.simScavengesPerMillionSteps).toBeGreaterThanOrEqual(0);
    positive(r.exploreExecsPerSec, 'exploreExecsPerSec');
    positive(r.exploreScaling.onePoolWorkerExecsPerSec, 'exploreScaling.onePoolWorkerExecsPerSec');
    positive(r.exploreScaling.coldTwoWorkersExecsPerSec, 'exploreScaling.coldTwoWorkersExecsPerSec');
    expect(r.exploreScaling.iterations).toBeGreaterThanOrEqual(1024);
    positive(r.fastCheck.execsPerSec, 'fastCheck.execsPerSec');
    positive(r.fastCheck.execsToFirstBug, 'fastCheck.execsToFirstBug');
    positive(r.vmmsim.execsToFirstBug, 'vmmsim.execsToFirstBug');
    positive(r.machine.cores, 'machine.cores');
    expect(r.machine.node).toBe(process.version);
    expect(Number.isNaN(Date.parse(r.date))).toBe(false);

    for (const file of ['bench.json', 'bench.md', 'bench.svg']) expect(existsSync(join(out, file)), file).toBe(true);
    expect(JSON.parse(readFileSync(join(out, 'bench.json'), 'utf8'))).toHaveProperty('eventPathToRawRatio');
    const svg = readFileSync(join(out, 'bench.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('Throughput vs VM actors');
    expect(svg).toContain('Interrupt → callback latency');
  }, 240_000);
});
