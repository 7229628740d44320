/**
 * What a campaign survives and what it leaves behind (an outside audit of the queue found each
 * of these): a Redis restarted within its reconnect window is no failure; a chunk that failed
 * does not block the same command once the cause is gone; a coordinator taken over while it was
 * paused stops (exit 3) instead of re-adding chunks for ever; and the coordinator's own device
 * code (PCT's estimate of the choice points) is under the watchdog, as a local run's is.
 */
import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { describe, expect, it } from 'vitest';
import { PREFIX } from '../../src/distributed/protocol.js';
import { QueueClient } from '../../src/distributed/queueClient.js';
import { parseQueueUrl, redisOptions } from '../../src/distributed/queueUrl.js';
import { campaignPart, vmmsim, vmmsimWith, worker, type Proc } from './support/processes.js';
import { redisAvailable } from './support/redisServer.js';
import { CAMPAIGN, stoppedAfterEach } from './support/stoppedAfterEach.js';

const TIMEOUT_MS = 240_000;

const { spawned, redis } = stoppedAfterEach();

const errorLines = (p: Proc): string[] => p.stderr().split('\n').filter((l) => l.startsWith('vmmsim: '));

describe.skipIf(!redisAvailable())('recovery on the queue', () => {
  it('Redis restarted within a second mid-campaign: the coordinator goes on to the local result', async () => {
    // A server that keeps its data on disk, as a restarted production Redis does.
    const durable = ['--dir', mkdtempSync(join(tmpdir(), 'vmmsim-redis-')), '--appendonly', 'yes', '--appendfsync', 'always'];
    const r = await redis(undefined, durable);
    const w = spawned(worker(r.url));
    await w.waitForStderr(/taking jobs/);
    const coordinator = spawned(vmmsim(...CAMPAIGN, '--queue', r.url, '--chunk', '25'));
    await w.waitForStderr(/"chunk":2,.*"msg":"chunk started"/);
    await r.stop();
    await new Promise((done) => setTimeout(done, 500));
    await redis(r.port, durable);
    expect(await coordinator.exited).toBe(0);
    const report = JSON.parse(coordinator.stdout()) as Record<string, unknown>;
    expect(report['executions']).toBe(400);
    const local = spawned(vmmsim(...CAMPAIGN));
    expect(await local.exited).toBe(0);
    expect(campaignPart(report)).toEqual(campaignPart(JSON.parse(local.stdout()) as Record<string, unknown>));
  }, TIMEOUT_MS);

  it('a chunk failed on a worker (a scenario edited under it): once the worker restarts, the same command runs', async () => {
    const r = await redis();
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-recovery-'));
    const scenario = join(dir, 'scenario.ts');
    writeFileSync(scenario, `export { default } from ${JSON.stringify(resolve('examples/scenarios/flaky-driver.ts'))};\n`);
    const command = ['explore', scenario, '--strategy', 'random', '--iterations', '40', '--no-shrink', '--json', '--queue', r.url];
    let w = spawned(worker(r.url));
    await w.waitForStderr(/taking jobs/);
    const first = spawned(vmmsim(...command));
    expect([0, 1]).toContain(await first.exited);
    appendFileSync(scenario, '// edited\n');
    const failed = spawned(vmmsim(...command));
    expect(await failed.exited).toBe(3);
    expect(errorLines(failed)).toEqual([expect.stringMatching(/failed on a worker: .*restart the worker/)]);
    w.child.kill('SIGKILL');
    await w.exited;
    w = spawned(worker(r.url));
    await w.waitForStderr(/taking jobs/);
    const again = spawned(vmmsim(...command));
    expect([0, 1]).toContain(await again.exited);
    expect(errorLines(again)).toEqual([]);
    expect((JSON.parse(again.stdout()) as { executions: number }).executions).toBeGreaterThan(0);
  }, TIMEOUT_MS);

  it('a coordinator taken over while paused stops with exit 3 when it resumes, whatever the new holder did', async () => {
    const r = await redis();
    const command = ['explore', 'default', '--strategy', 'pct', '--seed', '3', '--iterations', '200', '--no-shrink', '--queue', r.url, '--campaign', 'takeover'];
    // No worker yet: the first coordinator waits for chunk 0.
    const paused = spawned(vmmsim(...command));
    await paused.waitForStderr(/waiting for a chunk/);
    paused.child.kill('SIGSTOP');
    await new Promise((done) => setTimeout(done, 16_000)); // past the lock's 15 s TTL
    spawned(worker(r.url));
    const successor = spawned(vmmsim(...command));
    expect([0, 1], successor.stderr()).toContain(await successor.exited);
    paused.child.kill('SIGCONT');
    const started = Date.now();
    expect(await paused.exited).toBe(3);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(errorLines(paused)).toEqual([expect.stringMatching(/lost its lock/)]);
  }, TIMEOUT_MS);

  it("the coordinator's own device code is watched: a procedure that never returns ends it with exit 3, not a hang", async () => {
    const r = await redis();
    spawned(worker(r.url));
    const started = Date.now();
    const coordinator = spawned(vmmsim('explore', resolve('examples/hostile/endlessLoop.ts'), '--iterations', '100', '--queue', r.url));
    expect(await coordinator.exited).toBe(3);
    expect(Date.now() - started).toBeLessThan(60_000);
    expect(coordinator.stderr()).toMatch(/watchdog/);
  }, TIMEOUT_MS);

  it('an interrupted campaign of --seed random names the seed drawn, leaves no chunk queued, and that command resumes it', async () => {
    const r = await redis();
    const base = ['explore', 'default', '--strategy', 'random', '--iterations', '64', '--chunk', '8', '--no-shrink', '--queue', r.url];
    const queue = new Queue('explore', { connection: redisOptions(parseQueueUrl(r.url)), prefix: PREFIX });
    // No worker: the coordinator waits for chunk 0 until interrupted, its 8 chunks queued.
    const first = spawned(vmmsim(...base, '--seed', 'random'));
    await first.waitForStderr(/waiting for a chunk/);
    expect(await queue.getWaitingCount()).toBe(8);
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(130);
    const seed = /the same command with --seed (\d+) \(campaign (\S+)\) resumes it/.exec(first.stdout());
    expect(seed).not.toBeNull();
    // The chunks it had queued are gone with it: no worker computes an abandoned campaign.
    expect(await queue.getWaitingCount()).toBe(0);
    await queue.close();
    spawned(worker(r.url));
    const resumed = spawned(vmmsim(...base, '--seed', seed![1]!));
    expect([0, 1]).toContain(await resumed.exited);
    expect(errorLines(resumed)).toEqual([]);
    expect(resumed.stderr()).toContain(`campaign ${seed![2]!}`);
  }, TIMEOUT_MS);

  it('stress --queue --runs 600: at most 256 runs queued at a time; Ctrl-C acts at once, takes the runs not started off the queue, and claims no invariant of runs that never came back', async () => {
    const r = await redis();
    const queue = new Queue('stress', { connection: redisOptions(parseQueueUrl(r.url)), prefix: PREFIX });
    try {
      // No worker: nothing comes back.
      const fleet = spawned(vmmsim('stress', '--queue', r.url, '--runs', '600', '--duration', '1s'));
      await fleet.waitForStderr(/600 run\(s\), seeds 1\.\.600/);
      await expect.poll(() => queue.getWaitingCount(), { timeout: 30_000 }).toBe(256);
      const sent = performance.now();
      fleet.child.kill('SIGINT');
      expect(await fleet.exited).toBe(130);
      // The sweep polls 256 runs, not 600 (an outside audit: 14-16 s at 20,000 runs).
      expect(performance.now() - sent).toBeLessThan(10_000);
      expect(await queue.getWaitingCount()).toBe(0);
      expect(fleet.stdout()).toMatch(/^ {2}runs back: 0 events \(called now \+ dispatched\), 0 violation\(s\); VMM invariants: no run came back, nothing was checked$/m);
      expect(fleet.stdout()).toMatch(/INTERRUPTED: the runs not started were taken off the queue/);
    } finally {
      await queue.close();
    }
  }, TIMEOUT_MS);

  it("stress --queue: a run's trace above the bound a result may carry is not shipped, and the report says so", async () => {
    const r = await redis();
    spawned(vmmsimWith({ env: { VMMSIM_SHIPPED_TRACE_MAX_BYTES: '100' } }, 'worker', '--queue', r.url, '--concurrency', '1'));
    const fleet = spawned(vmmsim('stress', '--queue', r.url, '--runs', '1', '--seed', '5', '--duration', '1s', '--scenario', resolve('examples/scenarios/flaky-driver.ts')));
    expect(await fleet.exited).toBe(1);
    expect(fleet.stdout()).toMatch(/device bugs [1-9]/);
    expect(fleet.stdout()).toMatch(/^ {4}its trace was not shipped: [\d,.]+ (bytes|MB) gzipped, above the 100 bytes a run's result may carry through Redis/m);
    expect(fleet.stdout()).not.toMatch(/replay: /);
  }, TIMEOUT_MS);

  it('stress --queue: a run stopped by device code that threw says so and exits 1; a hung run exits 3 and its trace replays to the hang', async () => {
    const r = await redis();
    spawned(worker(r.url));
    const threw = spawned(vmmsim('stress', '--scenario', resolve('examples/hostile/slotNaN.ts'), '--duration', '2s', '--queue', r.url));
    expect(await threw.exited).toBe(1);
    expect(threw.stdout()).toMatch(/^ {4}STOPPED: .*threw/m);
    const hung = spawned(vmmsim('stress', '--scenario', resolve('examples/hostile/endlessLoop.ts'), '--duration', '2s', '--queue', r.url));
    expect(await hung.exited).toBe(3);
    const replay = /replay: (?:npx vmmsim|node \S+) replay (\S+)/.exec(hung.stdout());
    expect(replay).not.toBeNull();
    const replayed = spawned(vmmsim('replay', replay![1]!));
    expect(await replayed.exited).toBe(3);
    expect(replayed.stdout()).toMatch(/reproduced exactly/);
    expect(replayed.stdout()).toMatch(/then hung/);
  }, TIMEOUT_MS);

  it("a job that failed before the client opened is another run's: removed and reported missing, once", async () => {
    const r = await redis();
    const url = parseQueueUrl(r.url);
    const name = 'recovery-stale';
    const queue = new Queue(name, { connection: redisOptions(url), prefix: PREFIX });
    const failing = new Worker(name, async () => {
      throw new UnrecoverableError('an old failure');
    }, { connection: redisOptions(url), prefix: PREFIX });
    const failedOnce = new Promise((done) => failing.once('failed', done));
    await queue.add('j', {}, { jobId: 'j' });
    await failedOnce;
    await new Promise((done) => setTimeout(done, 20));
    const client = new QueueClient<object, object>(url, name);
    try {
      await client.ready();
      expect((await client.outcome('j')).state).toBe('missing');
      expect(await queue.getJob('j')).toBeUndefined();
      // Added again and failing again, now: this run's failure, reported.
      const failedAgain = new Promise((done) => failing.once('failed', done));
      await client.add('j', {});
      await failedAgain;
      const outcome = await client.outcome('j');
      expect(outcome.state).toBe('failed');
      expect(outcome.state === 'failed' ? outcome.reason : '').toBe('an old failure');
    } finally {
      await client.close();
      await failing.close();
      await queue.close();
    }
  }, TIMEOUT_MS);
});
