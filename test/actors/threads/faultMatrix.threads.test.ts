// The fault matrix on threads: each actor kind (VMM, PIC, a VM) crashes, exits or hangs, at its
// start, mid-run and while the run shuts down. Each run must end as the README says: exit 3, the
// report names the failed actor, stderr says so, no worker is left, and the trace it wrote
// replays in the simulated runtime without divergence.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replayTraceFile } from '../../../src/actors/sim/replay.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { scanTrace } from '../../../src/shared/traceFile.js';
import { childBound } from '../../support/childBound.js';

const ROOT = resolve(import.meta.dirname, '../../..');
const KINDS = ['crash', 'exit', 'hang'] as const;
const ACTORS = ['vmm', 'pic', 'vm2'] as const;
const TIMES = ['start', '400ms', 'stop'] as const;
/** Runs at once: each has 5 threads, the machine may have 2 cores. */
const CONCURRENCY = 3;

interface Outcome {
  code: number | null;
  report: { outcome: string; fault: { actor: string; error: { name: string } } | null; trace: string | null; threads: { workersRunning: number } } | null;
  stderr: string;
  trace: string;
}

let dir = '';
const outcomes = new Map<string, Promise<Outcome>>();

function runFault(spec: string): Promise<Outcome> {
  const trace = join(dir, `${spec.replace(/[:@]/g, '-')}.json`);
  const args = ['bin/vmmsim.js', 'run', '--vms', '2', '--duration', '1s', '--watchdog', '1s', '--fault', spec, '--trace', trace, '--json'];
  return new Promise((done) => {
    const child = execFile(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }, (_error, stdout, stderr) => {
      let report: Outcome['report'] = null;
      try {
        report = JSON.parse(stdout) as Outcome['report'];
      } catch {
        report = null;
      }
      done({ code: child.exitCode, report, stderr, trace });
    });
  });
}

beforeAll(() => {
  if (!existsSync(join(ROOT, 'dist/src/cli/main.js'))) {
    const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json'], { cwd: ROOT, encoding: 'utf8', ...childBound() });
    if (build.status !== 0) throw new Error(`build failed: ${build.stdout}${build.stderr}`);
  }
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-faults-'));
  // A small pool: CONCURRENCY runs in flight, the rest queued in order.
  const specs = KINDS.flatMap((k) => ACTORS.flatMap((a) => TIMES.map((t) => `${k}:${a}@${t}`)));
  let next = 0;
  const waiting = new Map<string, (o: Outcome) => void>();
  for (const spec of specs) outcomes.set(spec, new Promise((resolve) => waiting.set(spec, resolve)));
  const worker = async (): Promise<void> => {
    while (next < specs.length) {
      const spec = specs[next++]!;
      waiting.get(spec)!(await runFault(spec));
    }
  };
  for (let i = 0; i < CONCURRENCY; i++) void worker();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fault matrix on threads', () => {
  for (const kind of KINDS) {
    for (const actor of ACTORS) {
      for (const time of TIMES) {
        const spec = `${kind}:${actor}@${time}`;
        it(`${spec}: exit 3, ${actor} named, trace replays`, async () => {
          const { code, report, stderr, trace } = await outcomes.get(spec)!;
          expect({ spec, code }).toEqual({ spec, code: 3 });
          expect(report).not.toBeNull();
          expect(report!.outcome).toBe('crashed');
          expect(report!.fault!.actor).toBe(actor);
          const expectedError = kind === 'crash' ? 'InjectedFault' : kind === 'exit' ? 'ActorExited' : 'ActorHung';
          expect(report!.fault!.error.name).toBe(expectedError);
          expect(report!.threads.workersRunning).toBe(0);
          expect(stderr).toContain(`actor ${actor} failed`);
          expect(stderr).not.toMatch(/^\s+at /m);
          // The trace it wrote: whatever ran before the fault, replayed in the simulated runtime.
          expect(report!.trace).toBe(trace);
          const { header, end } = scanTrace(trace);
          const replay = replayTraceFile(trace, header, end, await loadScenario(header.scenario));
          expect(replay.divergence).toBeNull();
        }, 600_000);
      }
    }
  }
});
