import { describe, expect, it } from 'vitest';
import { withoutQueueFlags } from '../../src/distributed/options.js';
import { parseQueueUrl, QueueUrlError, redisOptions } from '../../src/distributed/queueUrl.js';

describe('--queue URL', () => {
  it('reads host, port, database and TLS, with defaults', () => {
    expect(parseQueueUrl('redis://127.0.0.1:6390/3')).toMatchObject({ host: '127.0.0.1', port: 6390, db: 3, tls: false });
    expect(parseQueueUrl('redis://queue.example')).toMatchObject({ host: 'queue.example', port: 6379, db: 0 });
    expect(parseQueueUrl('rediss://[::1]:7000')).toMatchObject({ host: '::1', port: 7000, tls: true });
  });

  it('keeps the password out of what it prints', () => {
    const url = parseQueueUrl('redis://alice:s3cret@host:6379/1');
    expect(url).toMatchObject({ username: 'alice', password: 's3cret' });
    expect(url.display).toBe('redis://alice:***@host:6379/1');
    expect(url.display).not.toContain('s3cret');
  });

  it.each([
    ['http://host:6379', /redis:\/\/ or rediss:\/\//],
    ['redis://', /no host/],
    ['host:6379', /redis:\/\/ or rediss:\/\//],
    ['not a url', /must be a URL/],
    ['redis://host:0', /port/],
    ['redis://host/abc', /database/],
    ['redis://host/16', /database/],
    ['redis://host/0?x=1', /no query/],
  ])('rejects %s with one line', (text, message) => {
    expect(() => parseQueueUrl(text)).toThrow(QueueUrlError);
    expect(() => parseQueueUrl(text)).toThrow(message);
  });

  it.each([
    ['redis://:secret@127.0.0.1:6394/0?tls=1', /no query/],
    ['redis://:secret@/0', /must be a URL|no host/],
    ['redis://:p@ss:w/rd%@127.0.0.1:6394/0', /percent-encoded/],
    ['redis://:secret@host/0#frag', /no query or fragment/],
  ])('a rejected URL with a password (%#) is quoted without it (an outside audit: the parse errors echoed it)', (text, message) => {
    expect(() => parseQueueUrl(text)).toThrow(message);
    let said = '';
    try {
      parseQueueUrl(text);
    } catch (error) {
      said = (error as Error).message;
    }
    expect(said).toContain('***@');
    for (const secret of ['secret', 'p@ss', 'w/rd']) expect(said).not.toContain(secret);
  });

  it('bounds every wait: a connect timeout, and reconnecting gives up after a window', () => {
    const options = redisOptions(parseQueueUrl('redis://host'));
    expect(options.connectTimeout).toBeGreaterThan(0);
    const retry = options.retryStrategy!;
    expect(retry(1)).toBeGreaterThan(0);
    expect(retry(10_000)).toBeNull();
  });

  it('a trace records the local command: the queue flags (and any password in the URL) left out', () => {
    expect(withoutQueueFlags(['explore', 'a.ts', '--queue', 'redis://u:pw@h', '--seed', '3', '--campaign=x', '--chunk', '5', '--keep-going']))
      .toEqual(['explore', 'a.ts', '--seed', '3', '--keep-going']);
  });
});
