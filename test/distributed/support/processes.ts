/** vmmsim processes for the queue tests: the CLI from source (tsx), output collected. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Absolute, so that a process may run in another directory (where it writes its traces). */
const CLI = ['--import', import.meta.resolve('tsx'), fileURLToPath(new URL('../../../src/cli/main.ts', import.meta.url))];

export interface Proc {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code (or the signal's name). */
  exited: Promise<number | string>;
  /** Resolves when stderr has a line matching the pattern. */
  waitForStderr(pattern: RegExp): Promise<string>;
}

/**
 * Where `vmmsim(...)` runs: a folder of this test file's own, so that what a command writes to
 * its default paths (`vmmsim-traces/`) never lands in the checkout (which may be read-only).
 * Paths given to it are absolute.
 */
let scratch: string | null = null;

function scratchDir(): string {
  if (scratch === null) {
    const made = mkdtempSync(join(tmpdir(), 'vmmsim-queue-cwd-'));
    process.once('exit', () => rmSync(made, { recursive: true, force: true }));
    scratch = made;
  }
  return scratch;
}

export function vmmsim(...args: string[]): Proc {
  return vmmsimIn(scratchDir(), ...args);
}

export function vmmsimIn(cwd: string, ...args: string[]): Proc {
  return vmmsimWith({ cwd }, ...args);
}

/** vmmsim in `cwd` (default: the scratch folder) with `env` added to this process's environment. */
export function vmmsimWith(options: { cwd?: string; env?: Record<string, string> }, ...args: string[]): Proc {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: options.cwd ?? scratchDir(), env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const waiters: { pattern: RegExp; resolve: (line: string) => void }[] = [];
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    for (const w of [...waiters]) {
      const line = err.split('\n').find((l) => w.pattern.test(l));
      if (line !== undefined) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child, exited, stdout: () => out, stderr: () => err,
    waitForStderr: (pattern) => {
      const line = err.split('\n').find((l) => pattern.test(l));
      return line !== undefined ? Promise.resolve(line) : new Promise((resolve) => waiters.push({ pattern, resolve }));
    },
  };
}

/** A worker with short locks (a dead worker's chunk is retried within seconds) and its log on stderr. */
export function worker(url: string, concurrency = 1): Proc {
  return vmmsim('worker', '--queue', url, '--concurrency', String(concurrency), '--lock-duration', '2s', '--log-level', 'info');
}

export async function stopAll(procs: Proc[]): Promise<void> {
  for (const p of procs) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
}

/** The parts of an explore report that must not depend on where the executions ran. */
export function campaignPart(report: Record<string, unknown>): Record<string, unknown> {
  const { executions, found, violation, distinctViolations, coverage, shrink, confidence, pctK, exhausted } = report;
  return { executions, found, violation, distinctViolations, coverage, shrink, confidence, pctK, exhausted };
}
