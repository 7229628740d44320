/**
 * One coordinator per campaign: a second `explore --queue` of the same campaign is refused (one
 * line, exit 2) and the first goes on to the one-worker result; the lock of a coordinator that
 * died on this host is taken over at once; one that was taken over while paused cannot write
 * its checkpoint any more (exit 3 through CampaignLockLostError).
 */
import { hostname } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../src/distributed/checkpoint.js';
import { CoordinatorLock } from '../../src/distributed/coordinatorLock.js';
import { CampaignBusyError, CampaignLockLostError } from '../../src/distributed/errors.js';
import { queueFailure } from '../../src/distributed/options.js';
import { parseQueueUrl } from '../../src/distributed/queueUrl.js';
import { campaignPart, stopAll, vmmsim, worker, type Proc } from './support/processes.js';
import { redisAvailable, startRedis, type RedisServer } from './support/redisServer.js';

const TIMEOUT_MS = 180_000;
const LOCK = (campaign: string): string => `vmmsim:campaign:${campaign}:coordinator`;

function checkpoint(nextChunk: number): Checkpoint {
  return { specDigest: 'd', chunkSize: 8, chunks: 4, nextChunk, status: 'running', acc: {} as Checkpoint['acc'] };
}

describe.skipIf(!redisAvailable())('the campaign lock', () => {
  let redis: RedisServer;
  const procs: Proc[] = [];

  beforeAll(async () => {
    redis = await startRedis();
  }, TIMEOUT_MS);

  afterAll(async () => {
    await stopAll(procs);
    await redis?.stop();
  });

  it('a second holder is refused, naming the live one; released, the lock can be taken again', async () => {
    const url = parseQueueUrl(redis.url);
    const first = await CoordinatorLock.take(url, 'one');
    const refused = await CoordinatorLock.take(url, 'one').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(CampaignBusyError);
    expect((refused as Error).message).toMatch(new RegExp(`campaign one is being run by another coordinator \\(process ${process.pid} on `));
    expect(queueFailure(refused)?.code).toBe(2);
    // Another campaign is another lock.
    const other = await CoordinatorLock.take(url, 'two');
    await other.release();
    await first.release();
    expect(await redis.client().get(LOCK('one'))).toBeNull();
    const again = await CoordinatorLock.take(url, 'one');
    await again.release();
  });

  it('the lock has a TTL (a holder that dies elsewhere frees it)', async () => {
    const lock = await CoordinatorLock.take(parseQueueUrl(redis.url), 'ttl', { ttlMs: 60_000 });
    const ttl = await redis.client().pttl(LOCK('ttl'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await lock.release();
  });

  it('a dead holder of this host is taken over at once; a live one, or one of another host, is not', async () => {
    const url = parseQueueUrl(redis.url);
    const deadHere = `${hostname()}:4000000:dead`;
    await redis.client().set(LOCK('dead'), deadHere, 'PX', 60_000);
    await expect(CoordinatorLock.take(url, 'dead', { alive: () => true })).rejects.toBeInstanceOf(CampaignBusyError);
    const taken = await CoordinatorLock.take(url, 'dead', { alive: () => false });
    expect(await redis.client().get(LOCK('dead'))).not.toBe(deadHere);
    await taken.release();
    await redis.client().set(LOCK('elsewhere'), 'another-host:12:x', 'PX', 60_000);
    await expect(CoordinatorLock.take(url, 'elsewhere', { alive: () => false })).rejects.toThrow(/process 12 on another-host/);
  });

  it("an unfinished campaign's checkpoint expires 7 days after its last write, as a finished one's does (README: a Redis many runs share does not fill with abandoned ones)", async () => {
    const lock = await CoordinatorLock.take(parseQueueUrl(redis.url), 'abandoned');
    await lock.writeCheckpoint(checkpoint(1));
    const week = 7 * 24 * 3600;
    const running = await redis.client().ttl('vmmsim:campaign:abandoned');
    expect(running).toBeGreaterThan(week - 60);
    expect(running).toBeLessThanOrEqual(week);
    // Not stopped: its workers go on taking its chunks.
    expect(await redis.client().exists('vmmsim:campaign:abandoned:stopped')).toBe(0);
    await lock.writeCheckpoint({ ...checkpoint(4), status: 'done' });
    expect(await redis.client().ttl('vmmsim:campaign:abandoned')).toBeGreaterThan(week - 60);
    expect(await redis.client().ttl('vmmsim:campaign:abandoned:stopped')).toBeGreaterThan(week - 60);
    await lock.release();
  });

  it('a coordinator taken over (paused past its TTL) cannot write the checkpoint: exit 3, the new fold kept', async () => {
    const lock = await CoordinatorLock.take(parseQueueUrl(redis.url), 'paused');
    await lock.writeCheckpoint(checkpoint(1));
    expect(JSON.parse((await redis.client().get('vmmsim:campaign:paused'))!)).toMatchObject({ nextChunk: 1 });
    // Its lock expired and another coordinator took the campaign and folded further.
    await redis.client().set(LOCK('paused'), 'another-host:1:new', 'PX', 60_000);
    await redis.client().set('vmmsim:campaign:paused', JSON.stringify(checkpoint(3)));
    const lost = await lock.writeCheckpoint(checkpoint(2)).catch((error: unknown) => error);
    expect(lost).toBeInstanceOf(CampaignLockLostError);
    expect(queueFailure(lost)?.code).toBe(3);
    expect(() => lock.check()).toThrow(CampaignLockLostError);
    expect(JSON.parse((await redis.client().get('vmmsim:campaign:paused'))!)).toMatchObject({ nextChunk: 3 });
    // Releasing does not free the new holder's lock.
    await lock.release();
    expect(await redis.client().get(LOCK('paused'))).toBe('another-host:1:new');
  });

  it('explore --queue twice on one campaign: the second is refused (exit 2), the first ends as a local run would', async () => {
    const args = ['explore', 'default', '--strategy', 'pct', '--seed', '2', '--iterations', '64', '--keep-going', '--json', '--no-shrink'];
    const queued = [...args, '--queue', redis.url, '--chunk', '8', '--campaign', 'twice'];
    const first = vmmsim(...queued);
    procs.push(first);
    // No worker yet: the first coordinator holds the campaign and waits.
    await first.waitForStderr(/campaign twice on .*: 8 chunk\(s\)/);
    const second = vmmsim(...queued);
    procs.push(second);
    expect(await second.exited).toBe(2);
    expect(second.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^vmmsim: campaign twice is being run by another coordinator \(process \d+ on /)]);
    expect(second.stdout()).toBe('');
    const w = worker(redis.url);
    procs.push(w);
    expect(await first.exited).toBe(0);
    const report = JSON.parse(first.stdout()) as Record<string, unknown> & { queue: { finished: boolean } };
    expect(report['executions']).toBe(64);
    expect(report.queue.finished).toBe(true);
    const local = vmmsim(...args);
    expect(await local.exited).toBe(0);
    expect(campaignPart(report)).toEqual(campaignPart(JSON.parse(local.stdout()) as Record<string, unknown>));
    // The first released the lock when it ended: the same command now prints the finished campaign.
    expect(await redis.client().get(LOCK('twice'))).toBeNull();
    const third = vmmsim(...queued);
    expect(await third.exited).toBe(0);
    expect((JSON.parse(third.stdout()) as { queue: { resumedAtChunk: number } }).queue.resumedAtChunk).toBe(8);
  }, TIMEOUT_MS);
});
