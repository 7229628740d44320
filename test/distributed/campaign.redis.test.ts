/**
 * Campaigns through Redis give the one-worker result: three worker processes on this machine
 * run the chunks in whatever order they finish, the coordinator folds them in iteration order,
 * and the report (executions, first violation, distinct violations, coverage, the shrunk trace,
 * the PCT confidence) equals a local run's for the same seed and spec.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/shared/traceFile.js';
import { campaignPart, stopAll, vmmsim, vmmsimIn, worker, type Proc } from './support/processes.js';
import { redisAvailable, startRedis, type RedisServer } from './support/redisServer.js';

const TIMEOUT_MS = 180_000;
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-queue-'));

async function explore(out: string, ...args: string[]): Promise<{ code: number | string; report: Record<string, unknown> & { queue?: Record<string, unknown> } }> {
  const p = vmmsim('explore', resolve('examples/scenarios/flaky-driver.ts'), '--out', join(dir, out), '--json', ...args);
  const code = await p.exited;
  return { code, report: JSON.parse(p.stdout()) as Record<string, unknown> };
}

/** A trace file minus the command line that made it (which names the queue). */
function traceWithoutCommand(path: unknown): unknown {
  const { command: _command, ...trace } = readTraceFile(path as string) as unknown as Record<string, unknown>;
  return trace;
}

describe.skipIf(!redisAvailable())('explore --queue with three workers', () => {
  let redis: RedisServer;
  let workers: Proc[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    workers = [worker(redis.url), worker(redis.url), worker(redis.url)];
    await Promise.all(workers.map((w) => w.waitForStderr(/taking jobs/)));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await stopAll(workers);
    await redis?.stop();
  });

  it('keep-going: every execution, folded in order, equals the local result', async () => {
    const args = ['--strategy', 'pct', '--seed', '7', '--iterations', '400', '--keep-going'];
    const local = await explore('local-kg', ...args);
    const queued = await explore('queued-kg', ...args, '--queue', redis.url, '--chunk', '10');
    expect(local.code).toBe(1);
    expect(queued.code).toBe(1);
    expect(queued.report['executions']).toBe(400);
    expect(campaignPart(queued.report)).toEqual(campaignPart(local.report));
    expect(traceWithoutCommand(queued.report['trace'])).toEqual(traceWithoutCommand(local.report['trace']));
    expect(readTraceFile(queued.report['trace'] as string).command).not.toMatch(/--queue|--chunk|redis:/);
    const q = queued.report.queue as { chunks: number; workers: { executions: number }[]; finished: boolean };
    expect(q.chunks).toBe(40);
    expect(q.finished).toBe(true);
    expect(q.workers.reduce((n, w) => n + w.executions, 0)).toBe(400);
  }, TIMEOUT_MS);

  it('stops at the same first violation as a local run, whatever finishes first', async () => {
    // One workload: the premise below (a late find) is seed 3's workload's.
    const args = ['--strategy', 'random', '--irq-chance', '0.01', '--seed', '3', '--iterations', '2000', '--workloads', '1'];
    const local = await explore('local-first', ...args);
    const queued = await explore('queued-first', ...args, '--queue', redis.url, '--chunk', '4');
    expect(local.report['found']).toBe(true);
    // Found in chunk 8 or later: chunks after it ran at the same time, and their finds must not count.
    expect(local.report['executions']).toBeGreaterThan(4 * 8);
    expect(campaignPart(queued.report)).toEqual(campaignPart(local.report));
    // The stop mark was set: what Redis still holds of the campaign is the checkpoint and chunks that were skipped.
    const campaign = (queued.report.queue as { campaign: string }).campaign;
    expect(await redis.client().get(`vmmsim:campaign:${campaign}:stopped`)).toBe('1');
    expect(await redis.client().zcard('vmmsim:explore:wait')).toBe(0);
  }, TIMEOUT_MS);

  it('the same command again prints the finished campaign from Redis', async () => {
    const args = ['--strategy', 'pct', '--seed', '7', '--iterations', '400', '--keep-going', '--queue', redis.url, '--chunk', '10'];
    const again = await explore('again', ...args);
    expect(again.report['executions']).toBe(400);
    expect((again.report.queue as { resumedAtChunk: number }).resumedAtChunk).toBe(40);
    // Nothing was computed in this run: no rate made of the first run's executions over this run's time (was 41,046/s).
    expect((again.report.queue as { executionsHere: number }).executionsHere).toBe(0);
    expect(again.report['execsPerSec']).toBe(0);
  }, TIMEOUT_MS);

  it('stress --queue: independent seeds across workers, one report, violating runs\' traces shipped back', async () => {
    const p = vmmsimIn(dir, 'stress', '--queue', redis.url, '--runs', '2', '--seed', '5', '--duration', '400ms', '--scenario', resolve('examples/scenarios/flaky-driver.ts'), '--json');
    const code = await p.exited;
    const report = JSON.parse(p.stdout()) as {
      runId: string; runsReported: number; perRun: { seed: number; steps: number; deviceBugs: number; trace: string | null }[]; events: number;
      counts: { calledNow: number; dispatched: number }; violations: { seed: number; kind: string }[];
    };
    // Exit 1 for a device bug in any run, as a local stress run says (README, exit codes).
    expect(code).toBe(report.perRun.some((r) => r.deviceBugs > 0) ? 1 : 0);
    expect(report.runsReported).toBe(2);
    expect(report.perRun.map((r) => r.seed).sort()).toEqual([5, 6]);
    expect(report.events).toBe(report.counts.calledNow + report.counts.dispatched);
    for (const run of report.perRun) {
      expect(run.steps).toBeGreaterThan(0);
      if (run.deviceBugs > 0) {
        // Named by this invocation's run id: a second fleet of the same seeds does not overwrite it.
        expect(run.trace).toBe(`vmmsim-traces/stress-flaky-driver-${run.seed}-${report.runId}.json`);
        expect(readTraceFile(join(dir, run.trace!))).toMatchObject({ format: 'vmmsim-trace', seed: run.seed });
      } else expect(run.trace).toBeNull();
    }
  }, TIMEOUT_MS);

  it('stress --queue counts every violation of its runs, not the first 100 each report lists', async () => {
    // A scenario invariant broken after every odd client step and holding after every even one:
    // each break is a report (one that stays broken is reported once), so a run's violations are
    // half its steps, far more than the 100 its report lists.
    const scenario = join(dir, 'flapping.mjs');
    writeFileSync(scenario, `export default { name: 'flapping', vms: 2, steps: 200,
  devices: [{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { r.state.n++; } } }],
  invariants: [{ name: 'oddSteps', check: (v) => (v.step % 2 === 1 ? 'broken after an odd step' : undefined) }] };\n`);
    const p = vmmsimIn(dir, 'stress', '--queue', redis.url, '--runs', '2', '--seed', '5', '--duration', '1s', '--scenario', scenario);
    await p.exited;
    const text = p.stdout();
    const perRun = [...text.matchAll(/^ {2}seed \d+ on \S+: \w+, ([\d,]+) steps, [\d,]+ events\/s, VMM invariants (held|BROKEN), device bugs ([\d,]+)/gm)];
    expect(perRun, text).toHaveLength(2);
    const number = (digits: string): number => Number(digits.replace(/,/g, ''));
    // Each odd step's check is one violation: the count is half the run's steps.
    for (const m of perRun) expect(Math.abs(number(m[3]!) - number(m[1]!) / 2)).toBeLessThanOrEqual(1);
    const deviceBugs = perRun.reduce((n, m) => n + number(m[3]!), 0);
    const all = /^ {2}all runs: [\d,]+ events \(called now \+ dispatched\), ([\d,]+) violation\(s\); VMM invariants: all held$/m.exec(text);
    expect(all, text).not.toBeNull();
    expect(number(all![1]!)).toBe(deviceBugs);
    // The premise: more violations than the reports list (100 a run), so a count of the lists would be false.
    expect(deviceBugs).toBeGreaterThan(200);
  }, TIMEOUT_MS);
});
