// "Every claim the tool prints must be true": the record and the virtual time a violation is
// reported at are the same on every surface that names it. A run on the simulator and the same
// run on worker threads (a scenario without IRQ sources: the threads decide nothing the
// simulator does not), the trace each writes (its end line), `vmmsim replay` of it and
// `vmmsim trace` of it (the drawing's header and the violation record drawn) must name one
// record and one tick, for a scenario invariant and for a device bug the core's checker finds.
// There is no way to force a VMM bug from the command line, so none is held here.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { childBound } from '../support/childBound.js';

const BIN = fileURLToPath(new URL('../../bin/vmmsim.js', import.meta.url));

const SCENARIOS = {
  // A scenario invariant that breaks from the fifth trap on at every even step and holds at every
  // odd one: each break is a report of its own (one that stays broken is reported once).
  invariant: `export default { name: 'pokes', vms: 2, steps: 200,
  devices: [{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { r.state.n++; r.currentVm(); } } }],
  invariants: [{ name: 'fewPokes', check: (v) => (v.device('dev').n < 5 || v.step % 2 === 1 ? undefined : 'five pokes or more, at an even step') }] };\n`,
  // A device bug the checker finds (SPEC: cancelling a handle that was already cancelled is a stale cancel), at the fifth trap.
  deviceBug: `export default { name: 'twice', vms: 2, steps: 200,
  devices: [{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'],
    procs: { later() {}, poke(r) { if (++r.state.n !== 5) return; const h = r.scheduleGlobalEvent('later', 0); r.cancelGlobalEvent(h); r.cancelGlobalEvent(h); } } }] };\n`,
};

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-record-claims-'));
  for (const [name, text] of Object.entries(SCENARIOS)) writeFileSync(join(dir, `${name}.mjs`), text);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vmmsim(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  // In the temporary folder, one Node process (no relaunch: the figures do not depend on it).
  const p = spawnSync(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', ...childBound(120_000), env: { ...process.env, VMMSIM_RELAUNCH: '0' } });
  return { code: p.status, stdout: p.stdout, stderr: p.stderr };
}

interface Where {
  kind: string;
  seq: number;
  ticks: number;
}

/** The first "<kind> ... at record N, t=T" line of a report. */
function firstReported(stdout: string): Where {
  const m = /^ {2}(?:device bug|VMM BUG) (\S+)(?: \[[^\]]*\])? at record (\d+), t=(\d+):/m.exec(stdout);
  expect(m, stdout).not.toBeNull();
  return { kind: m![1]!, seq: Number(m![2]), ticks: Number(m![3]) };
}

/** What a trace file's end line says the first violation was, and the tick of the record it names (from `replay --json`'s leading records). */
function endLineViolation(trace: string): { kind: string; seq: number } {
  const end = JSON.parse(readFileSync(trace, 'utf8').trimEnd().split('\n').at(-1)!) as { expect: { firstViolation: { kind: string; seq: number } | null } };
  expect(end.expect.firstViolation).not.toBeNull();
  return { kind: end.expect.firstViolation!.kind, seq: end.expect.firstViolation!.seq };
}

/** Every surface's account of one trace: the end line, `replay` (text and JSON), `trace` (its page). */
function surfacesOf(trace: string, html: string): Record<string, Partial<Where>> {
  const replay = vmmsim('replay', trace);
  expect(replay.code).toBe(1);
  expect(replay.stdout).toMatch(/reproduced exactly/);
  const replayJson = vmmsim('replay', trace, '--json');
  const violation = (JSON.parse(replayJson.stdout) as { firstViolation: Where | null }).firstViolation;
  // The last leading record the text replay shows is the violation record itself: "#N t=T vmV ctx violation kind=...".
  const leading = [...replay.stdout.matchAll(/^ {4}#(\d+) t=(\d+) vm\d+ \S+ violation kind="([^"]+)"/gm)][0];
  const drawn = vmmsim('trace', trace, '--format', 'html', '-o', html);
  expect(drawn.code).toBe(0);
  const page = readFileSync(html, 'utf8');
  const header = /first violation: (\S+) at record (\d+)/.exec(page);
  return {
    'end line': endLineViolation(trace),
    'replay': firstReported(replay.stdout),
    'replay --json': violation === null ? {} : { kind: violation.kind, seq: violation.seq, ticks: violation.ticks },
    'replay, the violation record': leading === undefined ? {} : { kind: leading[3]!, seq: Number(leading[1]), ticks: Number(leading[2]) },
    'trace, the page': header === null ? {} : { kind: header[1]!, seq: Number(header[2]) },
  };
}

describe('a violation is named at the same record and tick on every surface', () => {
  for (const name of Object.keys(SCENARIOS) as (keyof typeof SCENARIOS)[]) {
    it(`${name}: run on the simulator, run on threads, their traces, replay and trace of each`, () => {
      const scenario = join(dir, `${name}.mjs`);
      const simTrace = join(dir, `${name}.sim.json`);
      const threadsTrace = join(dir, `${name}.threads.json`);
      const sim = vmmsim('run', '--runtime', 'sim', '--scenario', scenario, '--steps', '400', '--trace', simTrace);
      expect(sim.code, sim.stderr).toBe(1);
      const threads = vmmsim('run', '--scenario', scenario, '--duration', '300ms', '--trace', threadsTrace);
      expect(threads.code, threads.stderr).toBe(1);
      const said = firstReported(sim.stdout);
      const surfaces: Record<string, Partial<Where>> = {
        'run --runtime sim': said,
        'run --runtime threads': firstReported(threads.stdout),
        ...prefixed('sim trace', surfacesOf(simTrace, join(dir, `${name}.sim.html`))),
        ...prefixed('threads trace', surfacesOf(threadsTrace, join(dir, `${name}.threads.html`))),
      };
      const wrong = Object.entries(surfaces).filter(([, where]) => where.kind !== said.kind || where.seq !== said.seq || (where.ticks !== undefined && where.ticks !== said.ticks));
      expect(wrong.map(([surface, where]) => `${surface}: ${JSON.stringify(where)} where the sim run said ${JSON.stringify(said)}`)).toEqual([]);
      expect(said.kind).toBe(name === 'invariant' ? 'fewPokes' : 'staleCancel');
    }, 300_000);
  }
});

function prefixed(prefix: string, surfaces: Record<string, Partial<Where>>): Record<string, Partial<Where>> {
  return Object.fromEntries(Object.entries(surfaces).map(([k, v]) => [`${prefix}: ${k}`, v]));
}

describe('counts a report states', () => {
  it('replay --json counts every violation of the run (the checker lists the first thousand), as the run counted them; the run says VMM invariants', () => {
    const trace = join(dir, 'many.json');
    // The scenario invariant breaks at every other client step from the fifth trap on: thousands of violations.
    const run = vmmsim('run', '--runtime', 'sim', '--scenario', join(dir, 'invariant.mjs'), '--steps', '3000', '--trace', trace, '--json');
    const report = JSON.parse(run.stdout) as { deviceBugs: number; invariantsOk: boolean };
    expect(report.deviceBugs).toBeGreaterThan(1000);
    const replayed = JSON.parse(vmmsim('replay', trace, '--json').stdout) as { violations: number; reproduced: boolean };
    expect(replayed.reproduced).toBe(true);
    expect(replayed.violations).toBe(report.deviceBugs);
    // "invariants: all held" stood beside a scenario invariant broken thousands of times: the line names what held.
    const text = vmmsim('run', '--runtime', 'sim', '--scenario', join(dir, 'invariant.mjs'), '--steps', '3000', '--no-trace');
    expect(text.stdout).toContain(`  VMM invariants: all held; device bugs (broken scenario invariants included): ${report.deviceBugs.toLocaleString('en-US')}\n`);
  }, 120_000);
});
