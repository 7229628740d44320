/**
 * A private redis-server for a queue test file or a bench run: on a free loopback port
 * (127.0.0.1 only), nothing saved to disk, stopped at the end. Tests that need one skip, saying
 * why, when the binary is missing.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export const REDIS_BINARY = 'redis-server';

export function redisAvailable(): boolean {
  const probe = spawnSync(REDIS_BINARY, ['--version'], { encoding: 'utf8' });
  const ok = probe.status === 0;
  if (!ok) process.stderr.write(`vmmsim queue tests: skipped: no ${REDIS_BINARY} binary on PATH (Debian: apt-get install redis-server)\n`);
  return ok;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** The server takes a moment to listen: try again until it answers (or has exited). */
async function connectWhenUp(port: number, child: ChildProcess): Promise<Redis> {
  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}`);
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.ping();
      return client;
    } catch (error) {
      client.disconnect();
      if (attempt > 200) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

export interface RedisServer {
  url: string;
  port: number;
  process: ChildProcess;
  /** A client for the test's own looks at Redis. */
  client(): Redis;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const child = spawn(REDIS_BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const clients: Redis[] = [];
  let probe: Redis;
  try {
    probe = await connectWhenUp(port, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  clients.push(probe);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    process: child,
    client: () => probe,
    async stop() {
      for (const c of clients) c.disconnect();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
