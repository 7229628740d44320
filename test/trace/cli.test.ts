import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTraceFile } from '../../src/shared/traceFile.js';
import { traceCommand } from '../../src/cli/commands/trace.js';
import type { TraceFlags } from '../../src/cli/commands/traceOptions.js';
import { UsageError } from '../../src/cli/errors.js';
import { validateChromeTrace } from './chromeFormat.js';
import { staleCancelRun } from './fixtures/leakyRun.js';
import { childBound } from '../support/childBound.js';

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** The CLI from source (tsx), so the test needs no build; compiling on the fly makes each start slow. */
const CLI = ['--import', 'tsx', 'src/cli/main.ts'];
const SPAWN_TIMEOUT_MS = 90_000;

function vmmsim(...args: string[]): Ran {
  const out = spawnSync(process.execPath, [...CLI, ...args], { encoding: 'utf8', ...childBound() });
  return { code: out.status, stdout: out.stdout, stderr: out.stderr };
}

function vmmsimAsync(...args: string[]): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...CLI, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-trace-'));
const run = staleCancelRun();
const tracePath = join(dir, 'leaky.json');
writeTraceFile(tracePath, run.trace);

describe('vmmsim trace', () => {
  it('writes a valid Chrome trace of the run', () => {
    const out = join(dir, 'out', 'leaky.chrome.json');
    const { code, stdout } = vmmsim('trace', tracePath, '--format', 'chrome', '-o', out);
    expect(code).toBe(0);
    expect(stdout).toContain('ui.perfetto.dev');
    const chrome = JSON.parse(readFileSync(out, 'utf8')) as { traceEvents: { ph: string; cat?: string }[] };
    expect(validateChromeTrace(chrome)).toEqual([]);
    expect(chrome.traceEvents.some((e) => e.ph === 'i' && e.cat === 'violation')).toBe(true);
  }, SPAWN_TIMEOUT_MS);

  it('writes a self-contained HTML page next to the trace by default, a stretch named after it (the whole run\'s page stays)', () => {
    expect(vmmsim('trace', tracePath, '--format', 'html').code).toBe(0);
    const whole = readFileSync(join(dir, 'leaky.html'), 'utf8');
    const { code } = vmmsim('trace', tracePath, '--format', 'html', '--window', '80');
    expect(code).toBe(0);
    expect(readFileSync(join(dir, 'leaky.html'), 'utf8')).toBe(whole);
    expect(vmmsim('trace', tracePath, '--format', 'chrome', '--from', '5').code).toBe(0);
    expect(existsSync(join(dir, 'leaky.records-5-end.chrome.json'))).toBe(true);
    const html = readFileSync(join(dir, 'leaky.window-80.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('data-testid="violation-marker"');
    // No request can leave the page: no external sources, and a policy that forbids them.
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain("default-src 'none'");
  }, SPAWN_TIMEOUT_MS);

  it('cuts to a range of records', () => {
    const { code, stdout } = vmmsim('trace', tracePath, '--format', 'chrome', '--from', '5', '--to', '50', '-o', '-');
    expect(code).toBe(0);
    const chrome = JSON.parse(stdout) as { otherData: { window: string } };
    expect(chrome.otherData.window).toMatch(/^records 5 to 50 of 0 to \d+$/);
  }, SPAWN_TIMEOUT_MS);

  it('rejects bad input with one line and exit 2', async () => {
    const cases: string[][] = [
      ['trace', join(dir, 'missing.json'), '--format', 'html'],
      ['trace', tracePath, '--format', 'svg'],
      ['trace', tracePath],
      ['trace', tracePath, '--format', 'html', '--window', 'lots'],
    ];
    const results = await Promise.all(cases.map((args) => vmmsimAsync(...args)));
    results.forEach(({ code, stderr }, i) => {
      expect({ args: cases[i], code }).toEqual({ args: cases[i], code: 2 });
      expect(stderr.trim().split('\n')).toHaveLength(1);
    });
  }, SPAWN_TIMEOUT_MS);

  it('reports unreadable traces and contradictory options as usage errors', async () => {
    mkdirSync(join(dir, 'bad'), { recursive: true });
    writeFileSync(join(dir, 'bad', 'garbage.json'), '{ not json');
    writeFileSync(join(dir, 'bad', 'other.json'), '{"format":"something else"}');
    const cases: [string, TraceFlags, RegExp][] = [
      [join(dir, 'bad', 'garbage.json'), { format: 'html' }, /garbage.json is not a vmmsim trace: line 1: not JSON/],
      [join(dir, 'bad', 'other.json'), { format: 'chrome' }, /is not a vmmsim trace/],
      [tracePath, { format: 'html', window: 10, from: 3 }, /either --window or --from/],
      [tracePath, { format: 'html', from: 30, to: 3 }, /--from 30 is after --to 3/],
      [tracePath, { format: 'html', from: 99_999_999 }, /past the last record/],
    ];
    for (const [path, flags, message] of cases) {
      const error = await traceCommand(path, flags).then(() => null, (e: unknown) => e as Error);
      expect(error).toBeInstanceOf(UsageError);
      expect(error!.message).toMatch(message);
      expect(error!.message).not.toContain('\n');
    }
    expect(existsSync(join(dir, 'bad', 'garbage.html'))).toBe(false);
  });
});
