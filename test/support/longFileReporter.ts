/**
 * A vitest reporter that names a test file still running after `everyMs` (and again each
 * `everyMs` after), with the last test its fork reported started. The default reporter prints a
 * file only when it ends, so a file that hangs leaves the log silent where CI stops it; this one
 * runs in vitest's main process, whose timers go on whatever a test fork is blocked in.
 */
import type { Reporter, TestCase, TestModule } from 'vitest/node';

interface Running {
  startedMs: number;
  reportedMs: number;
  test: string | null;
}

export interface LongFileOptions {
  everyMs?: number;
  pollMs?: number;
  write?: (line: string) => void;
  nowMs?: () => number;
}

export default class LongFileReporter implements Reporter {
  private readonly running = new Map<string, Running>();
  private readonly everyMs: number;
  private readonly pollMs: number;
  private readonly write: (line: string) => void;
  private readonly nowMs: () => number;
  private timer: NodeJS.Timeout | null = null;

  constructor(options: LongFileOptions = {}) {
    this.everyMs = options.everyMs ?? 5 * 60_000;
    this.pollMs = options.pollMs ?? 10_000;
    this.write = options.write ?? ((line) => process.stderr.write(`${line}\n`));
    this.nowMs = options.nowMs ?? (() => performance.now());
  }

  onTestRunStart(): void {
    this.timer ??= setInterval(() => this.check(), this.pollMs).unref();
  }

  onTestModuleStart(module: TestModule): void {
    const now = this.nowMs();
    this.running.set(module.moduleId, { startedMs: now, reportedMs: now, test: null });
  }

  onTestCaseReady(test: TestCase): void {
    const entry = this.running.get(test.module.moduleId);
    if (entry !== undefined) entry.test = test.fullName;
  }

  onTestModuleEnd(module: TestModule): void {
    this.running.delete(module.moduleId);
  }

  onTestRunEnd(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.running.clear();
  }

  /** Names each file that has run `everyMs` since it started or was last named. */
  check(): void {
    const now = this.nowMs();
    for (const [file, entry] of this.running) {
      if (now - entry.reportedMs < this.everyMs) continue;
      entry.reportedMs = now;
      // A fork reports in batches, so a fork that blocks may not have reported the test it blocks in.
      const at = entry.test === null ? 'no test of it reported started yet' : `the last test it reported started: "${entry.test}"`;
      this.write(`vitest: ${relativeToCwd(file)} has run for ${Math.round((now - entry.startedMs) / 1000)} s, ${at}`);
    }
  }
}

function relativeToCwd(file: string): string {
  const cwd = `${process.cwd()}/`;
  return file.startsWith(cwd) ? file.slice(cwd.length) : file;
}
