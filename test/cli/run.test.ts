// The command line, as a user runs it: `node bin/vmmsim.js ...` against the built output
// (`npm test` builds first; a missing build is made here). Bad input is one line on stderr and
// exit 2, never a stack trace.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir = '';

interface Result {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a child process (concurrently with others: each start-up costs most of the time). */
function vmmsim(...args: string[]): Promise<Result> {
  return new Promise((done) => {
    const child = execFile(process.execPath, ['bin/vmmsim.js', ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (_error, stdout, stderr) => {
      done({ status: child.exitCode, stdout, stderr });
    });
  });
}

/** A usage error: exit 2, one line on stderr, nothing on stdout, no stack trace. */
function expectUsageError(result: Result, mentions: RegExp): void {
  expect(result.status).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(mentions);
  expect(result.stderr).not.toMatch(/^\s+at /m);
  expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
}

interface RunReport {
  runtime: string;
  seed: number;
  vms: number;
  counts: Record<string, number>;
  violations: unknown[];
  invariantsOk: boolean;
  traceHash: string;
}

function report({ status, stdout, stderr }: Result): RunReport {
  expect(stderr).toBe('');
  expect(status).toBe(0);
  return JSON.parse(stdout) as RunReport; // the whole of stdout is one JSON object
}

const runJson = (seed: number) => vmmsim('run', '--runtime', 'sim', '--seed', String(seed), '--json', '--no-trace');

/** Every command of the file, started at once in beforeAll; the tests await their own. */
let runs: Record<'seven' | 'sevenAgain' | 'three' | 'banana' | 'unknownFlag' | 'notJson' | 'notTrace' | 'missing', Promise<Result>>;
/** `run` writing a trace, then `replay` of it (text and JSON). */
let replays: Promise<{ run: Result; text: Result; json: Result }>;
let tracePath = '';

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) {
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8', ...childBound() });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-cli-'));
  runs = {
    seven: runJson(7),
    sevenAgain: runJson(7),
    three: runJson(3),
    banana: vmmsim('run', '--runtime', 'sim', '--vms', 'banana'),
    unknownFlag: vmmsim('run', '--runtime', 'sim', '--no-such-flag'),
    notJson: vmmsim('replay', write('garbage.json', 'this is not a trace')),
    notTrace: vmmsim('replay', write('wrong.json', JSON.stringify({ format: 'something-else' }))),
    missing: vmmsim('replay', join(dir, 'missing.json')),
  };
  tracePath = join(dir, 'seed5.json');
  replays = vmmsim('run', '--runtime', 'sim', '--seed', '5', '--steps', '3000', '--trace', tracePath).then(async (run) => {
    const [text, json] = await Promise.all([vmmsim('replay', tracePath), vmmsim('replay', tracePath, '--json')]);
    return { run, text, json };
  });
}, 120_000);

function write(name: string, content: string): string {
  writeFileSync(join(dir, name), content);
  return join(dir, name);
}

afterAll(() => {
  if (dir !== '') rmSync(dir, { recursive: true, force: true });
});

describe('vmmsim run --runtime sim', () => {
  it('--seed 7 --json --no-trace prints one JSON report: every event path taken, every invariant held', async () => {
    const seven = report(await runs.seven);
    expect(seven).toMatchObject({ runtime: 'sim', seed: 7, vms: 4, violations: [], invariantsOk: true });
    expect(seven.traceHash).toMatch(/^[0-9a-f]{16}$/);
    for (const count of ['calledNow', 'scheduled', 'dispatched', 'cancelled', 'interrupts', 'nestedInterrupts']) {
      expect(seven.counts[count], count).toBeGreaterThan(0);
    }
  });

  it('the same seed twice: the same trace hash', async () => {
    expect(report(await runs.sevenAgain).traceHash).toBe(report(await runs.seven).traceHash);
  });

  it('--seed 3 exercises VM and priority events, timeouts, task switches and the critical section', async () => {
    const three = report(await runs.three);
    expect(three.traceHash).not.toBe(report(await runs.seven).traceHash);
    for (const count of ['vmEventsDispatched', 'priorityEventsDispatched', 'priorityTimeouts', 'taskSwitches', 'criticalSectionClaims']) {
      expect(three.counts[count], count).toBeGreaterThan(0);
    }
    expect(three.invariantsOk).toBe(true);
  });

  it('--vms banana: exit 2, one line, no stack trace', async () => {
    expectUsageError(await runs.banana, /--vms.*banana/);
  });

  it('an unknown flag: exit 2', async () => {
    expectUsageError(await runs.unknownFlag, /unknown option/);
  });
});

describe('vmmsim replay', () => {
  it('replays a trace that run wrote: exit 0, reproduced', async () => {
    const { run, text, json } = await replays;
    expect(run.status).toBe(0);
    expect(existsSync(tracePath)).toBe(true);
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/reproduced exactly/);
    expect(JSON.parse(json.stdout)).toMatchObject({ reproduced: true, divergence: null, invariantsOk: true });
  });

  it('a file that is not a trace: exit 2, no stack trace', async () => {
    expectUsageError(await runs.notJson, /is not a vmmsim trace: line 1: not JSON/);
    expectUsageError(await runs.notTrace, /not a vmmsim trace/);
    expectUsageError(await runs.missing, /cannot read trace/);
  });
});
