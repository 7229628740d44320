// A worker that fails mid-run, seen from outside the process: it throws, its thread exits, or it
// hangs (the runtime's own fault injection, README "Faults"). README: "Any actor that fails ends
// the run at once: exit code 3, a report naming the actor and its error ..., the trace up to that
// point written (it replays)"; "Workers log through the main thread, which writes synchronously,
// so nothing is lost on a crash." Each run here asks for 30 s and must end long before.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-worker-faults-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** [--fault, the actor named, the error's name in the report] */
const FAULTS: [string, string, string][] = [
  ['exit:pic@300ms', 'pic', 'ActorExited'],
  ['crash:vm2@300ms', 'vm2', 'InjectedFault'],
  ['hang:vm1@300ms', 'vm1', 'ActorHung'],
];

describe('a worker fails mid-run', () => {
  for (const [fault, actor, errorName] of FAULTS) {
    it(`--fault ${fault}: exit 3, one line naming ${actor}, the report, every log line whole, the trace replays`, () => {
      const log = join(dir, `${actor}.log`);
      const trace = join(dir, `${actor}.json`);
      const run = spawnSync(process.execPath, [BIN, 'run', '--duration', '30s', '--watchdog', '1s', '--fault', fault, '--log', log, '--trace', trace, '--json'], { encoding: 'utf8', ...childBound(120_000) });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 3, stderr: expect.stringMatching(new RegExp(`^vmmsim: actor ${actor} failed: ${errorName}: [^\\n]*\\n$`)) });
      const report = JSON.parse(run.stdout) as { outcome: string; fault: { actor: string; error: { name: string } } };
      expect(report).toMatchObject({ outcome: expect.stringMatching(/crashed|hung/), fault: { actor, error: { name: errorName } } });

      // Nothing lost: every line is whole JSON, the failure is logged, and the run's end is the last line.
      const lines = readFileSync(log, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { msg: string; actor?: string; failedActor?: string });
      // The failure as the main thread saw it (a crashing actor also logs its own error first, through the main thread).
      expect(lines.filter((l) => l.msg === 'actor failed' && l.actor === 'main')).toEqual([expect.objectContaining({ failedActor: actor })]);
      expect(lines.at(-1)).toMatchObject({ msg: 'run ended' });
      expect(lines.some((l) => l.actor === 'vmm')).toBe(true);

      // The trace up to the failure replays exactly, and says which actor's failure ended it: a
      // replay that said only "no violation" read as a run that ended well.
      const replay = spawnSync(process.execPath, [BIN, 'replay', trace], { encoding: 'utf8', ...childBound(120_000) });
      expect({ status: replay.status, stdout: replay.stdout }).toEqual({ status: 0, stdout: expect.stringContaining('reproduced exactly') });
      expect(replay.stdout).toMatch(new RegExp(`\\n  the recorded run then ended: actor ${actor} failed \\(the trace ends before it\\): ${errorName}: `));
    }, 300_000);
  }
});
