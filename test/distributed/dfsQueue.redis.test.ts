/**
 * dfs over N workloads through Redis: "with N workloads the N searches are independent" (each
 * depends on (spec, w) alone: README "dfs over several workloads"), so each runs as one queue
 * job on whichever worker takes it, and the coordinator folds them in workload order. The
 * report (executions, first violation, every workload's outcome, "exhausted", the trace) must
 * be the local run's, and the printed lines the local run's claims. dfs of one workload stays
 * refused with --queue, saying to use --workloads N.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTraceFile } from '../../src/shared/traceFile.js';
import { campaignPart, stopAll, vmmsim, worker, type Proc } from './support/processes.js';
import { redisAvailable, startRedis, type RedisServer } from './support/redisServer.js';

const TIMEOUT_MS = 240_000;
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-dfs-queue-'));
const SCENARIO = resolve('examples/scenarios/flaky-driver.ts');
/** Small bounds: some workloads' spaces are exhausted, one finds the race (test/explore/cli.test.ts, the local run). */
const DFS = ['--strategy', 'dfs', '--steps', '6', '--irq-budget', '1', '--preemption-bound', '1', '--workloads', '8'];

interface DfsReport {
  executions: number;
  exhausted: boolean | null;
  byWorkload: { workload: number; status: string; executions: number }[] | null;
  trace: string | null;
  queue?: { chunks: number; finished: boolean; workers: { executions: number }[] };
}

async function explore(out: string, json: boolean, ...args: string[]): Promise<{ code: number | string; stdout: string; stderr: string }> {
  const p = vmmsim('explore', SCENARIO, '--out', join(dir, out), ...(json ? ['--json'] : []), ...args);
  const code = await p.exited;
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** The report's lines that state the campaign's result (not its timing, run id or queue). */
function claimLines(stdout: string): string[] {
  return stdout.split('\n')
    .filter((l) => !/^vmmsim explore |^ {2}queue |^ {4}worker |^ {2}(trace:|replay it:|see it:)/.test(l))
    .map((l) => l.replace(/ in [\d.]+ s \([\d,]+ executions\/s\)/, '').replace(/ on \d+ worker\(s\)/, ''));
}

function withoutCommand(path: string | null): unknown {
  const { command: _command, ...trace } = readTraceFile(path!) as unknown as Record<string, unknown>;
  return trace;
}

describe.skipIf(!redisAvailable())('explore --strategy dfs --workloads N --queue', () => {
  let redis: RedisServer;
  let workers: Proc[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    workers = [worker(redis.url), worker(redis.url)];
    await Promise.all(workers.map((w) => w.waitForStderr(/taking jobs/)));
  }, TIMEOUT_MS);

  afterAll(async () => {
    await stopAll(workers);
    await redis?.stop();
  });

  for (const keepGoing of [false, true]) {
    it(`${keepGoing ? '--keep-going: every workload searched' : 'stops at the first workload that finds the race'}: the local run's result and claims`, async () => {
      const args = [...DFS, ...(keepGoing ? ['--keep-going'] : [])];
      const tag = keepGoing ? 'kg' : 'first';
      const local = await explore(`local-${tag}`, true, ...args);
      const queued = await explore(`queued-${tag}`, true, ...args, '--queue', redis.url);
      expect(local.code).toBe(1);
      expect(queued.code, queued.stderr).toBe(1);
      const l = JSON.parse(local.stdout) as DfsReport;
      const q = JSON.parse(queued.stdout) as DfsReport;
      expect(campaignPart(q as unknown as Record<string, unknown>)).toEqual(campaignPart(l as unknown as Record<string, unknown>));
      expect(q.byWorkload).toEqual(l.byWorkload);
      expect(withoutCommand(q.trace)).toEqual(withoutCommand(l.trace));
      // One job per workload; the workers ran at least the executions folded (a later search may have run for nothing).
      expect(q.queue!.chunks).toBe(8);
      expect(q.queue!.finished).toBe(true);
      if (keepGoing) expect(q.queue!.workers.reduce((n, w) => n + w.executions, 0)).toBe(q.executions);
      // The printed claims (executions, "exhausted", each workload's status, the violation) are the local run's.
      const localText = await explore(`local-${tag}-text`, false, ...args);
      const queuedText = await explore(`queued-${tag}-text`, false, ...args, '--queue', redis.url, '--campaign', `dfs-${tag}-text`);
      expect(claimLines(queuedText.stdout), `exit ${queuedText.code}: ${queuedText.stderr}`).toEqual(claimLines(localText.stdout));
      expect(queuedText.stdout).toMatch(/campaign dfs-[a-z]+-text: 8 chunk\(s\), one workload's search each/);
    }, TIMEOUT_MS);
  }

  it('dfs of one workload is refused with --queue, saying to use --workloads N (exit 2)', async () => {
    const refused = await explore('one', false, '--strategy', 'dfs', '--iterations', '10', '--queue', redis.url);
    expect(refused.code).toBe(2);
    expect(refused.stderr.trimEnd()).toMatch(/^vmmsim: dfs of one workload runs on one thread .*use --workloads N/);
    expect(refused.stderr.trimEnd().split('\n')).toHaveLength(1);
  }, TIMEOUT_MS);
});
