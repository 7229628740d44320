/**
 * A private redis-server for a queue test file or a bench run: on a free loopback port
 * (127.0.0.1 only), nothing saved to disk, stopped at the end. Tests that need one skip, saying
 * why, when the binary is missing.
 *
 * redis-server cannot be told to pick a port itself (`--port 0` turns TCP off), so the port is
 * one the kernel just handed out and released: another process may bind it first. Then our
 * server exits (the address is in use), or, if the other process is itself a redis-server, a
 * client would reach the wrong server. So a start counts only when the server that answers
 * reports our child's process id; otherwise it is tried again on a new port.
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

/** A loopback port free when asked (another process may take it before it is used: see startRedis). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts tried before giving up: each loses only if another process takes its port first. */
const START_ATTEMPTS_MAX = 5;
/** Polls of a starting server (50 ms apart) before giving up on it. */
const CONNECT_POLLS_MAX = 200;

/** The server's exit, or its losing the port to another process, ends a start that may be tried again. */
class PortTakenError extends Error {
  override name = 'PortTakenError';
}

function isPortTaken(error: unknown): boolean {
  return error instanceof Error && error.name === 'PortTakenError';
}

function serverProcessId(info: string): number {
  const match = /^process_id:(\d+)/m.exec(info);
  return match ? Number(match[1]) : -1;
}

/** The server takes a moment to listen: try again until our child answers (or has exited). */
async function connectWhenUp(port: number, child: ChildProcess): Promise<Redis> {
  for (let poll = 0; ; poll++) {
    if (child.exitCode !== null || child.signalCode !== null) throw new PortTakenError(`redis-server exited with ${child.exitCode ?? child.signalCode} (port ${port} taken first?)`);
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    client.on('error', () => undefined);
    try {
      await client.connect();
      const answeringPid = serverProcessId(await client.info('server'));
      if (answeringPid !== child.pid) {
        client.disconnect();
        throw new PortTakenError(`port ${port} is served by process ${answeringPid}, not our redis-server ${child.pid}`);
      }
      return client;
    } catch (error) {
      client.disconnect();
      if (isPortTaken(error) || poll >= CONNECT_POLLS_MAX) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

/** One start on a fresh port: the server and a client connected to it, or PortTakenError. */
async function startOnFreePort(choosePort: () => Promise<number>, args: readonly string[]): Promise<{ port: number; child: ChildProcess; probe: Redis }> {
  const port = await choosePort();
  const child = spawn(REDIS_BINARY, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...args], { stdio: 'ignore' });
  try {
    return { port, child, probe: await connectWhenUp(port, child) };
  } catch (error) {
    await stopChild(child);
    throw error;
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

/** `choosePort` is for tests that hand out a taken port on purpose; the default asks the kernel. */
/** `args`: more redis-server options (a test that restarts a server keeps its data with `--dir`, `--appendonly yes`). */
export async function startRedis(choosePort: () => Promise<number> = freePort, args: readonly string[] = []): Promise<RedisServer> {
  let started: Awaited<ReturnType<typeof startOnFreePort>> | undefined;
  for (let attempt = 1; started === undefined; attempt++) {
    try {
      started = await startOnFreePort(choosePort, args);
    } catch (error) {
      if (!isPortTaken(error) || attempt >= START_ATTEMPTS_MAX) throw error;
    }
  }
  const { port, child, probe } = started;
  const clients: Redis[] = [probe];
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
