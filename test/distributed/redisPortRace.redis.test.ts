/**
 * The private redis-server of the queue tests and the bench: its port is one the kernel handed
 * out and released, so another process may bind it first. Then the start must be tried again on
 * another port, and the server it returns must be its own child (not the process that took the
 * port, which may itself be a redis-server and would answer a PING).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { freePort, redisAvailable, startRedis, type RedisServer } from './support/redisServer.js';

const TIMEOUT_MS = 60_000;

let servers: RedisServer[] = [];
afterEach(async () => {
  for (const s of servers) await s.stop();
  servers = [];
});

function processIdOf(info: string): number {
  return Number(/^process_id:(\d+)/m.exec(info)?.[1] ?? -1);
}

describe.skipIf(!redisAvailable())('a private redis-server whose port another process took first', () => {
  it('starts again on another port, and answers as its own child', { timeout: TIMEOUT_MS }, async () => {
    const first = await startRedis();
    servers.push(first);
    const offered: number[] = [];
    // The first port offered is taken (by another redis-server, the worst case); then any free one.
    let calls = 0;
    const second = await startRedis(async () => {
      calls++;
      const port = calls === 1 ? first.port : await freePort();
      offered.push(port);
      return port;
    });
    servers.push(second);
    expect(offered.length).toBe(2);
    expect(second.port).toBe(offered[1]);
    expect(second.port).not.toBe(first.port);
    expect(processIdOf(await second.client().info('server'))).toBe(second.process.pid);
    expect(processIdOf(await first.client().info('server'))).toBe(first.process.pid);
  });

  it('gives up with the last error when every port offered is taken', { timeout: TIMEOUT_MS }, async () => {
    const first = await startRedis();
    servers.push(first);
    await expect(startRedis(async () => first.port)).rejects.toThrow(/redis-server|port/);
  });
});
