/**
 * Nothing lost, nothing twice: a worker killed (SIGKILL) while it holds a chunk has that chunk
 * retried by another worker (BullMQ's stall check, after the dead worker's lock expires); a
 * coordinator killed mid-campaign and started again with the same --campaign resumes from the
 * checkpoint Redis holds. Either way the report equals the local one-worker report. And the
 * failures: unreachable or malformed at the start is exit 2; Redis lost mid-run, or a worker
 * holding another version of the scenario file, is exit 3.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EXPLORE_QUEUE } from '../../src/distributed/protocol.js';
import { QueueClient } from '../../src/distributed/queueClient.js';
import { parseQueueUrl } from '../../src/distributed/queueUrl.js';
import { packageVersion } from '../../src/shared/packageInfo.js';
import { campaignPart, vmmsim, worker } from './support/processes.js';
import { redisAvailable } from './support/redisServer.js';
import { CAMPAIGN, stoppedAfterEach } from './support/stoppedAfterEach.js';

const TIMEOUT_MS = 240_000;

const { spawned, redis } = stoppedAfterEach();

async function localReport(): Promise<Record<string, unknown>> {
  const local = vmmsim(...CAMPAIGN);
  expect(await local.exited).toBe(0);
  return JSON.parse(local.stdout()) as Record<string, unknown>;
}

describe.skipIf(!redisAvailable())('faults with a queue', () => {
  it('a worker killed mid-chunk loses nothing: its chunk is retried elsewhere', async () => {
    const r = await redis();
    const doomed = spawned(worker(r.url));
    await doomed.waitForStderr(/taking jobs/);
    const coordinator = spawned(vmmsim(...CAMPAIGN, '--queue', r.url, '--chunk', '50'));
    await doomed.waitForStderr(/"chunk":1,.*"msg":"chunk started"/);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    const survivor = spawned(worker(r.url));
    expect(await coordinator.exited).toBe(0);
    const report = JSON.parse(coordinator.stdout()) as Record<string, unknown> & { queue: { chunksRetried: number; workers: { worker: string; executions: number }[] } };
    expect(report['executions']).toBe(400);
    expect(report.queue.chunksRetried).toBeGreaterThanOrEqual(1);
    expect(report.queue.workers.reduce((n, w) => n + w.executions, 0)).toBe(400);
    expect(campaignPart(report)).toEqual(campaignPart(await localReport()));
    // Told to stop, the survivor finishes what it holds and exits as interrupted.
    survivor.child.kill('SIGTERM');
    expect(await survivor.exited).toBe(130);
  }, TIMEOUT_MS);

  it('a worker interrupted twice gives its chunk back at once, and another worker runs it', async () => {
    const r = await redis();
    const leaving = spawned(worker(r.url));
    await leaving.waitForStderr(/taking jobs/);
    const coordinator = spawned(vmmsim(...CAMPAIGN, '--queue', r.url, '--chunk', '100'));
    await leaving.waitForStderr(/"chunk":1,.*"msg":"chunk started"/);
    leaving.child.kill('SIGINT');
    await leaving.waitForStderr(/finishing the jobs in hand/);
    leaving.child.kill('SIGINT');
    expect(await leaving.exited).toBe(130);
    expect(leaving.stderr()).toMatch(/"msg":"job given back"/);
    spawned(worker(r.url));
    expect(await coordinator.exited).toBe(0);
    const report = JSON.parse(coordinator.stdout()) as Record<string, unknown>;
    expect(report['executions']).toBe(400);
    expect(campaignPart(report)).toEqual(campaignPart(await localReport()));
  }, TIMEOUT_MS);

  it('a coordinator killed mid-campaign resumes from Redis with the same --campaign', async () => {
    const r = await redis();
    const w = spawned(worker(r.url));
    await w.waitForStderr(/taking jobs/);
    const args = [...CAMPAIGN, '--queue', r.url, '--chunk', '25', '--campaign', 'resume-me'];
    const first = spawned(vmmsim(...args));
    const nextChunk = async (): Promise<number> => (JSON.parse((await r.client().get('vmmsim:campaign:resume-me')) ?? '{"nextChunk":0}') as { nextChunk: number }).nextChunk;
    while ((await nextChunk()) < 2) await new Promise((resolve) => setTimeout(resolve, 20));
    w.child.kill('SIGSTOP');
    first.child.kill('SIGKILL');
    await first.exited;
    const folded = await nextChunk();
    expect(folded).toBeLessThan(16);
    w.child.kill('SIGCONT');
    const second = spawned(vmmsim(...args));
    expect(await second.exited).toBe(0);
    const report = JSON.parse(second.stdout()) as Record<string, unknown> & { queue: { resumedAtChunk: number; campaign: string } };
    expect(report.queue.campaign).toBe('resume-me');
    expect(report.queue.resumedAtChunk).toBe(folded);
    expect(report['executions']).toBe(400);
    // The resumed run's executions are the chunks it folded (each 25), less any computed before it started.
    const here = (report.queue as unknown as { executionsHere: number }).executionsHere;
    expect(here).toBeLessThanOrEqual(400 - folded * 25);
    expect(campaignPart(report)).toEqual(campaignPart(await localReport()));
  }, TIMEOUT_MS);

  it('Redis lost mid-run: coordinator and worker each say so in one line and exit 3, no hang', async () => {
    const r = await redis();
    const w = spawned(worker(r.url));
    await w.waitForStderr(/taking jobs/);
    // Chunks of seconds: the campaign is far from its end when Redis goes.
    const coordinator = spawned(vmmsim('explore', 'default', '--iterations', '100000', '--chunk', '1000', '--keep-going', '--queue', r.url));
    await w.waitForStderr(/"msg":"chunk started"/);
    r.process.kill('SIGKILL');
    expect(await coordinator.exited).toBe(3);
    expect(await w.exited).toBe(3);
    for (const p of [coordinator, w]) {
      const errors = p.stderr().split('\n').filter((l) => l.startsWith('vmmsim: '));
      expect(errors).toEqual([expect.stringMatching(/lost the connection to Redis/)]);
    }
  }, TIMEOUT_MS);

  it('a worker whose copy of the scenario differs fails the chunk: the coordinator stops with exit 3', async () => {
    const r = await redis();
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-scenario-'));
    const scenario = join(dir, 'scenario.ts');
    writeFileSync(scenario, `export { default } from ${JSON.stringify(resolve('examples/scenarios/flaky-driver.ts'))};\n`);
    const coordinator = spawned(vmmsim('explore', scenario, '--iterations', '50', '--queue', r.url));
    await coordinator.waitForStderr(/campaign .* chunk\(s\)/);
    appendFileSync(scenario, '// edited after the campaign started\n');
    spawned(worker(r.url));
    expect(await coordinator.exited).toBe(3);
    const errors = coordinator.stderr().split('\n').filter((l) => l.startsWith('vmmsim: '));
    expect(errors).toEqual([expect.stringMatching(/chunk 0 .* failed on a worker: scenario .* differs on this machine/)]);
  }, TIMEOUT_MS);

  it('a campaign name Redis holds for another spec is refused (exit 2)', async () => {
    const r = await redis();
    const w = spawned(worker(r.url));
    await w.waitForStderr(/taking jobs/);
    const first = spawned(vmmsim('explore', resolve('examples/scenarios/flaky-driver.ts'), '--iterations', '20', '--queue', r.url, '--campaign', 'taken', '--json'));
    expect(await first.exited).toBe(1);
    const other = spawned(vmmsim('explore', resolve('examples/scenarios/flaky-driver.ts'), '--iterations', '30', '--queue', r.url, '--campaign', 'taken'));
    expect(await other.exited).toBe(2);
    expect(other.stderr()).toMatch(/campaign taken in Redis runs another spec/);
  }, TIMEOUT_MS);
});

async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      server.close(() => resolve(address.port));
    });
  });
}

describe.skipIf(!redisAvailable())('a worker of another build', () => {
  it('refuses a job of another build, and says so on its stderr with no log option (README: "a job that fails on the worker is one line on its stderr")', async () => {
    const r = await redis();
    const w = spawned(vmmsim('worker', '--queue', r.url, '--concurrency', '1'));
    await w.waitForStderr(/taking jobs from/);
    const queue = new QueueClient<Record<string, unknown>, unknown>(parseQueueUrl(r.url), EXPLORE_QUEUE);
    try {
      await queue.ready();
      await queue.add('other-build-0', { vmmsim: `${packageVersion()}+0123456789abcdef`, campaign: 'other-build', index: 0, attemptsStarted: 0 });
      const line = await w.waitForStderr(/job other-build-0 failed: /);
      expect(line).toMatch(/this worker runs vmmsim build \S+, the coordinator build \S+\+0123456789abcdef: the same version built from other code/);
    } finally {
      await queue.close();
    }
  }, TIMEOUT_MS);
});

describe('bad --queue input', () => {
  it('an unreachable queue: one line, exit 2, for explore, stress and worker', async () => {
    const url = `redis://127.0.0.1:${await closedPort()}`;
    for (const args of [['explore', resolve('examples/scenarios/flaky-driver.ts'), '--queue', url], ['stress', '--queue', url, '--runs', '2'], ['worker', '--queue', url]]) {
      const p = vmmsim(...args);
      expect(await p.exited, args[0]).toBe(2);
      expect(p.stderr().trim().split('\n'), args[0]).toEqual([expect.stringMatching(/^vmmsim: cannot use the queue at redis:\/\/127\.0\.0\.1:\d+\/0: .*ECONNREFUSED/)]);
    }
  }, TIMEOUT_MS);

  it('a malformed URL or a queue-only flag without --queue: one line, exit 2', async () => {
    for (const args of [['explore', '--queue', 'http://host'], ['worker', '--queue', 'redis://host:0'], ['explore', '--campaign', 'x'], ['stress', '--runs', '3'], ['worker']]) {
      const p = vmmsim(...args);
      expect(await p.exited, args.join(' ')).toBe(2);
      expect(p.stderr().trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
  }, TIMEOUT_MS);
});
