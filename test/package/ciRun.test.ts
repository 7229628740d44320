/**
 * `.ci/run` on the machines CI may meet: redis-server already there, apt-get missing, apt-get
 * failing (no mirrors), no root and no sudo. Each time it runs exactly the README's test command
 * (`npm ci`, then `npm test`); Redis is optional (the queue tests skip without it), so getting it
 * may fail without failing CI.
 *
 * The script runs from a copy with a PATH of stand-ins: `npm`, `apt-get`, `sudo` and `id` record
 * their calls in a log instead of doing anything, so the test neither installs nor needs root.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = mkdtempSync(join(tmpdir(), 'vmmsim-ci-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The real tools the script itself uses (not the ones under test). */
const TOOLS = ['dirname', 'env', 'true', 'timeout', 'sleep'];

interface Machine {
  uid: number;
  redisInstalled?: boolean;
  aptGet?: 'missing' | 'works' | 'fails' | 'hangs';
  sudo?: boolean;
}

/** What each kind of apt-get stand-in does after recording its call. */
const APT_GET = { works: 'exit 0', fails: 'echo "E: Could not resolve mirror" >&2; exit 100', hangs: 'exec sleep 60' };

function stub(bin: string, name: string, body: string): void {
  writeFileSync(join(bin, name), `#!${bash()}\necho "${name} $*" >> "$CALLS"\n${body}\n`);
  chmodSync(join(bin, name), 0o755);
}

function bash(): string {
  return execFileSync('bash', ['-c', 'command -v bash'], { encoding: 'utf8' }).trim();
}

function runCi(machine: Machine, env: Record<string, string> = {}): { status: number | null; calls: string[]; stderr: string } {
  const dir = mkdtempSync(join(root, 'clone-'));
  mkdirSync(join(dir, '.ci'));
  copyFileSync('.ci/run', join(dir, '.ci', 'run'));
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const tool of TOOLS) symlinkSync(execFileSync('bash', ['-c', `type -P ${tool}`], { encoding: 'utf8' }).trim(), join(bin, tool));
  stub(bin, 'npm', 'exit 0');
  stub(bin, 'id', `echo ${machine.uid}`);
  if (machine.redisInstalled) stub(bin, 'redis-server', 'exit 0');
  if (machine.aptGet !== undefined && machine.aptGet !== 'missing') stub(bin, 'apt-get', APT_GET[machine.aptGet]);
  if (machine.sudo) stub(bin, 'sudo', 'shift; exec "$@"');
  const calls = join(dir, 'calls.log');
  writeFileSync(calls, '');
  const result = spawnSync(bash(), [join(dir, '.ci', 'run')], { env: { PATH: bin, CALLS: calls, ...env }, encoding: 'utf8', timeout: 60_000 });
  return { status: result.status, calls: readFileSync(calls, 'utf8').split('\n').filter(Boolean), stderr: result.stderr };
}

const TEST_COMMAND = ['npm ci', 'npm test'];

describe('.ci/run', () => {
  it('with redis-server already installed: no apt-get, then npm ci and npm test', () => {
    const run = runCi({ uid: 0, redisInstalled: true, aptGet: 'works' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(TEST_COMMAND);
  });

  it('as root with a working apt-get: installs redis-server, then the test command', () => {
    const run = runCi({ uid: 0, aptGet: 'works' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['id -u', 'apt-get update -qq', 'apt-get install -y -qq redis-server', ...TEST_COMMAND]);
  });

  it('when apt-get cannot reach its mirrors: says the queue tests will skip, and still tests', () => {
    const run = runCi({ uid: 0, aptGet: 'fails' });
    expect(run.status).toBe(0);
    expect(run.calls.slice(-2)).toEqual(TEST_COMMAND);
    expect(run.stderr).toMatch(/redis-server not installed .*queue tests will skip/);
  });

  it('when apt-get hangs (a mirror that never answers): gives up after APT_BOUND_S, says the queue tests will skip, still tests', () => {
    const run = runCi({ uid: 0, aptGet: 'hangs' }, { APT_BOUND_S: '1' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['id -u', 'apt-get update -qq', ...TEST_COMMAND]);
    expect(run.stderr).toMatch(/redis-server not installed .*a step over 1s.*queue tests will skip/);
  });

  it("prints when each step starts, for a slow CI's report", () => {
    const run = runCi({ uid: 0, redisInstalled: true });
    expect(run.stderr).toMatch(/\.ci\/run: \d+s: npm ci\n\.ci\/run: \d+s: npm test\n\.ci\/run: \d+s: done/);
  });

  it('where there is no apt-get: still tests', () => {
    const run = runCi({ uid: 0, aptGet: 'missing' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['id -u', ...TEST_COMMAND]);
  });

  it('as a user without sudo: never calls apt-get, still tests', () => {
    const run = runCi({ uid: 1000, aptGet: 'works' });
    expect(run.status).toBe(0);
    expect(run.calls).toEqual(['id -u', ...TEST_COMMAND]);
  });

  it('as a user with password-less sudo: installs through sudo', () => {
    const run = runCi({ uid: 1000, aptGet: 'works', sudo: true });
    expect(run.status).toBe(0);
    expect(run.calls.filter((c) => c.startsWith('apt-get'))).toEqual(['apt-get update -qq', 'apt-get install -y -qq redis-server']);
    expect(run.calls.slice(-2)).toEqual(TEST_COMMAND);
  });
});
