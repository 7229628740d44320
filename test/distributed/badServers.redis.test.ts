/**
 * A --queue that is there but cannot be used: a Redis that wants a password (none given, or the
 * wrong one), a port where something accepts and never answers, a port that speaks another
 * protocol. README "Errors and exit codes": bad input, before any work starts, is "one line on
 * stderr", exit 2; never a hang. A password given in the URL is never printed.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { stopAll, vmmsim, type Proc } from './support/processes.js';
import { redisAvailable, startRedis, type RedisServer } from './support/redisServer.js';

const TIMEOUT_MS = 180_000;
const PASSWORD = 'the-right-one';
const WRONG = 'not-this-one';

let procs: Proc[] = [];
let servers: RedisServer[] = [];
let listeners: Server[] = [];

afterEach(async () => {
  await stopAll(procs);
  for (const s of servers) await s.stop();
  for (const l of listeners) await new Promise((resolve) => l.close(resolve));
  procs = [];
  servers = [];
  listeners = [];
});

type QueueCommand = 'worker' | 'explore' | 'stress';
const ARGS: Record<QueueCommand, (url: string) => string[]> = {
  worker: (url) => ['worker', '--queue', url],
  explore: (url) => ['explore', 'default', '--iterations', '5', '--queue', url],
  stress: (url) => ['stress', '--queue', url, '--runs', '2'],
};

/** Commands that take --queue (each connects its own way: a worker, a coordinator), against one URL. */
async function eachRefused(url: string, line: RegExp, commands: QueueCommand[]): Promise<void> {
  for (const args of commands.map((c) => ARGS[c](url))) {
    const p = vmmsim(...args);
    procs.push(p);
    expect(await p.exited, args[0]).toBe(2);
    expect(p.stderr().trim().split('\n'), args[0]).toEqual([expect.stringMatching(line)]);
    expect(p.stderr(), args[0]).not.toContain(PASSWORD);
    expect(p.stderr(), args[0]).not.toContain(WRONG);
  }
}

/** A TCP server on a free port that does `onConnection` with each client. */
async function listener(onConnection: (socket: Socket) => void): Promise<string> {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    onConnection(socket);
  });
  server.on('close', () => sockets.forEach((s) => s.destroy()));
  listeners.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const close = server.close.bind(server);
  server.close = ((cb?: (err?: Error) => void) => {
    sockets.forEach((s) => s.destroy());
    return close(cb);
  }) as typeof server.close;
  return `redis://127.0.0.1:${port}`;
}

describe.skipIf(!redisAvailable())('a Redis that wants a password', () => {
  it('none given: NOAUTH; the wrong one: WRONGPASS, the password not printed; one line, exit 2', async () => {
    const server = await startRedis();
    servers.push(server);
    await server.client().config('SET', 'requirepass', PASSWORD);
    await eachRefused(server.url, /^vmmsim: cannot use the queue at redis:\/\/127\.0\.0\.1:\d+\/0: NOAUTH Authentication required\.$/, ['worker', 'explore', 'stress']);
    await eachRefused(server.url.replace('redis://', `redis://:${WRONG}@`), /^vmmsim: cannot use the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:\d+\/0: WRONGPASS /, ['worker', 'explore']);
  }, TIMEOUT_MS);
});

describe('a --queue where no Redis answers', () => {
  it('a server that accepts and never answers: one line, exit 2, no hang', async () => {
    await eachRefused(await listener(() => undefined), /^vmmsim: cannot use the queue at redis:\/\/127\.0\.0\.1:\d+\/0: no answer in \d+ ms$/, ['explore']);
  }, TIMEOUT_MS);

  it('a server that speaks another protocol (HTTP): one line, exit 2', async () => {
    const url = await listener((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    await eachRefused(url, /^vmmsim: cannot use the queue at redis:\/\/127\.0\.0\.1:\d+\/0: the server there does not speak the Redis protocol/, ['worker', 'stress']);
  }, TIMEOUT_MS);
});
