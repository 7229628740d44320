/**
 * The vmmsim processes and Redis servers a queue test starts, all stopped after each test
 * (passed or not), so that no worker or server outlives the test that made it.
 */
import { afterEach } from 'vitest';
import { stopAll, type Proc } from './processes.js';
import { startRedis, type RedisServer } from './redisServer.js';

/** The example campaign of the queue tests: the built-in machine, executions of a few milliseconds. */
export const CAMPAIGN = ['explore', 'default', '--strategy', 'pct', '--seed', '2', '--iterations', '400', '--keep-going', '--json', '--no-shrink'];

export interface TestResources {
  /** `p`, stopped after the test. */
  spawned(p: Proc): Proc;
  /** A Redis server (on `port` if given, with extra `args`), stopped after the test. */
  redis(port?: number, args?: readonly string[]): Promise<RedisServer>;
}

export function stoppedAfterEach(): TestResources {
  let procs: Proc[] = [];
  let servers: RedisServer[] = [];
  afterEach(async () => {
    await stopAll(procs);
    for (const s of servers) await s.stop();
    procs = [];
    servers = [];
  });
  return {
    spawned(p) {
      procs.push(p);
      return p;
    },
    async redis(port, args = []) {
      const server = await startRedis(port === undefined ? undefined : () => Promise.resolve(port), args);
      servers.push(server);
      return server;
    },
  };
}
