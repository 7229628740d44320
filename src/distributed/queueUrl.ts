/**
 * `--queue redis://[user:password@]host[:port][/db]` (or `rediss://` for TLS): parsed and
 * checked before anything connects, so a typo is one line and exit 2. The connection options
 * bound every wait: a connection attempt gives up after CONNECT_TIMEOUT_MS, and a dropped
 * connection is retried for RECONNECT_WINDOW_MS, then given up (the run ends with exit 3).
 */
import type { RedisOptions } from 'ioredis';

export class QueueUrlError extends Error {
  override readonly name = 'QueueUrlError';
}

export interface QueueUrl {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** The URL without its password, for messages and reports. */
  display: string;
}

const DEFAULT_PORT = 6379;
/** Redis's default `databases` setting allows 0..15; a larger index is almost surely a typo. */
const DB_MAX = 15;
export const CONNECT_TIMEOUT_MS = 3_000;
export const RECONNECT_WINDOW_MS = 10_000;
const RECONNECT_DELAY_MS = 500;

export function parseQueueUrl(text: string): QueueUrl {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueUrlError(`--queue must be a URL like redis://host:6379/0 (a password's special characters percent-encoded), got '${masked(text)}'`);
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw new QueueUrlError(`--queue must start with redis:// or rediss://, got '${url.protocol}//'`);
  }
  if (url.hostname === '') throw new QueueUrlError(`--queue names no host: '${masked(text)}'`);
  if (url.search !== '' || url.hash !== '') throw new QueueUrlError(`--queue takes no query or fragment: '${masked(text)}'`);
  const port = url.port === '' ? DEFAULT_PORT : Number(url.port);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new QueueUrlError(`--queue port must be from 1 to 65535, got '${url.port}'`);
  const path = url.pathname.replace(/^\//, '');
  if (path !== '' && !/^\d+$/.test(path)) throw new QueueUrlError(`--queue database must be a number from 0 to ${DB_MAX}, got '${path}'`);
  const db = path === '' ? 0 : Number(path);
  if (db > DB_MAX) throw new QueueUrlError(`--queue database must be a number from 0 to ${DB_MAX}, got ${db}`);
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const username = url.username === '' ? undefined : decodeURIComponent(url.username);
  const password = url.password === '' ? undefined : decodeURIComponent(url.password);
  const auth = username !== undefined || password !== undefined ? `${username ?? ''}:***@` : '';
  return {
    host, port, db, tls: url.protocol === 'rediss:',
    ...(username !== undefined ? { username } : {}), ...(password !== undefined ? { password } : {}),
    display: `${url.protocol}//${auth}${url.host}/${db}`,
  };
}

/**
 * The text of a --queue value as a message may quote it: whatever stands between the scheme and
 * the last '@' (the credentials, even when the URL does not parse) replaced by `***`.
 */
function masked(text: string): string {
  const at = text.lastIndexOf('@');
  if (at < 0) return text;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0] ?? '';
  return `${scheme}***${text.slice(at)}`;
}

/**
 * ioredis options for every connection vmmsim opens. maxRetriesPerRequest is null because
 * BullMQ's blocking connections require it; the reconnect window is what bounds a wait instead
 * (when it gives up, pending commands fail and the run ends).
 */
export function redisOptions(url: QueueUrl): RedisOptions {
  return {
    host: url.host, port: url.port, db: url.db,
    ...(url.username !== undefined ? { username: url.username } : {}),
    ...(url.password !== undefined ? { password: url.password } : {}),
    ...(url.tls ? { tls: {} } : {}),
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (times * RECONNECT_DELAY_MS > RECONNECT_WINDOW_MS ? null : RECONNECT_DELAY_MS),
  };
}
