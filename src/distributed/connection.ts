/**
 * Reaching Redis: one bounded probe before a command starts (an unreachable server is bad
 * input: one line, exit 2, within CONNECT_TIMEOUT_MS), and the one error that a connection
 * lost mid-run becomes (exit 3).
 */
import { Redis } from 'ioredis';
import { QueueUnreachableError } from './errors.js';
import { CONNECT_TIMEOUT_MS, type QueueUrl, redisOptions } from './queueUrl.js';

/** BullMQ's Lua scripts need Redis 5 or later (Debian 12 ships 7). */
const REDIS_MAJOR_MIN = 5;

export async function probeQueue(url: QueueUrl): Promise<void> {
  const client = new Redis({ ...redisOptions(url), lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  // ioredis rejects connect() with "Connection is closed."; the cause came as an 'error' event.
  let cause: unknown = null;
  client.on('error', (error: unknown) => (cause ??= error));
  const timeout = new Promise<never>((_, reject) => {
    setTimeout(() => reject(new Error(`no answer in ${CONNECT_TIMEOUT_MS} ms`)), CONNECT_TIMEOUT_MS + 500).unref();
  });
  try {
    await Promise.race([client.connect(), timeout]);
    const info = await Promise.race([client.info('server'), timeout]);
    const major = Number(/redis_version:(\d+)/.exec(info)?.[1] ?? '0');
    if (major < REDIS_MAJOR_MIN) throw new Error(`Redis ${major} is too old (BullMQ needs ${REDIS_MAJOR_MIN} or later)`);
  } catch (error) {
    throw new QueueUnreachableError(`cannot use the queue at ${url.display}: ${oneLine(cause ?? error)}`);
  } finally {
    client.disconnect();
  }
}

export function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const line = message.split('\n')[0] ?? message;
  // ioredis on a server that answers something else (an HTTP proxy, a web server on that port):
  // 'Protocol error, got "H" as reply type byte. Please report this.' is not ours to report.
  return /^Protocol error, got /.test(line) ? `the server there does not speak the Redis protocol (${line.replace(/\s*Please report this\.?$/, '')})` : line;
}

/** Whether an error means the connection is gone (ioredis gave up reconnecting). */
export function isConnectionLost(error: unknown): boolean {
  const message = oneLine(error);
  return /Connection is closed|ECONNREFUSED|ECONNRESET|ETIMEDOUT|EPIPE|Stream isn't writeable|reconnect/i.test(message);
}
