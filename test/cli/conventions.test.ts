/**
 * Command-line conventions and run identity, as a user sees them: `--version`; every command's
 * --help ends with examples; defaults shown in the unit the user types; each run has its own id
 * (nanoid), in its trace file's name, its report and every line it logs, so runs never
 * overwrite each other.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = resolve('bin/vmmsim.js');
const SPAWN_MS = 90_000;
const dir = mkdtempSync(join(tmpdir(), 'vmmsim-conventions-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function vmmsim(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = execFile(process.execPath, [BIN, ...args], { cwd: dir, encoding: 'utf8', timeout: SPAWN_MS }, (_e, stdout, stderr) => done({ code: child.exitCode, stdout, stderr }));
  });
}

const RUN_ID = /^[0-9a-z]{10}$/;

describe('command-line conventions', () => {
  it('--version prints the package version', async () => {
    const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
    for (const flag of ['--version', '-V']) expect(await vmmsim(flag)).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it("ends every command's --help with two or three examples that call vmmsim", async () => {
    for (const command of ['run', 'stress', 'replay', 'bench', 'trace', 'explore', 'shrink', 'worker']) {
      const { code, stdout } = await vmmsim(command, '--help');
      expect(code).toBe(0);
      const tail = stdout.slice(stdout.lastIndexOf('Examples:'));
      expect(stdout.lastIndexOf('Examples:')).toBeGreaterThan(0);
      const examples = tail.split('\n').filter((line) => line.startsWith('  $ '));
      expect(examples.length).toBeGreaterThanOrEqual(2);
      expect(examples.length).toBeLessThanOrEqual(3);
      for (const line of examples) expect(line).toMatch(new RegExp(`^  \\$ npx vmmsim ${command}\\b`));
    }
  }, SPAWN_MS);

  it('shows the --duration default in seconds, the unit a bare number means', async () => {
    const run = (await vmmsim('run', '--help')).stdout.replace(/\s+/g, ' ');
    expect(run).toMatch(/--duration <time> .*\(default: 3s\)/);
    expect(run).not.toContain('default: 3000');
    expect((await vmmsim('stress', '--help')).stdout.replace(/\s+/g, ' ')).toMatch(/\(default: 10m\)/);
  });
});

describe('run identity', () => {
  it('gives two runs of the same seed their own id and trace file, named command-scenario-seed-id', async () => {
    const [a, b] = await Promise.all([1, 2].map(() => vmmsim('run', '--runtime', 'sim', '--steps', '300', '--seed', '7', '--json')));
    const reports = [a!, b!].map((r) => {
      expect(r.code).toBe(0);
      return JSON.parse(r.stdout) as { runId: string; trace: string; replay: string };
    });
    expect(reports[0]!.runId).toMatch(RUN_ID);
    expect(reports[0]!.runId).not.toBe(reports[1]!.runId);
    for (const r of reports) expect(r.trace).toBe(`vmmsim-traces/run-default-7-${r.runId}.json`);
    expect(readdirSync(join(dir, 'vmmsim-traces')).sort()).toEqual(reports.map((r) => `run-default-7-${r.runId}.json`).sort());
  }, SPAWN_MS);

  it("names a scenario module's traces by the scenario's name in run (either runtime) and explore alike, whatever the file is called", async () => {
    // An outside audit: `run` and `stress` took the module's base name (run-s-1-<id>.json for a
    // scenario named cjs-s in sub/s.cjs), `explore` the scenario's name.
    const module = join(dir, 'file_name.mjs');
    writeFileSync(module, `
const d = { name: 'd', state: () => ({ traps: 0 }), entries: ['poke'], procs: { poke(r) { r.state.traps++; } } };
export default { name: 'Named Unlike Its File', vms: 2, devices: [d],
  invariants: [{ name: 'fewTraps', check: (view) => (view.device('d').traps < 3 ? undefined : 'three traps') }] };
`);
    const runs = await Promise.all([
      vmmsim('run', '--runtime', 'sim', '--steps', '300', '--seed', '5', '--json', '--scenario', module),
      vmmsim('run', '--duration', '300ms', '--seed', '5', '--json', '--scenario', module),
      vmmsim('explore', module, '--iterations', '300', '--seed', '5', '--json', '--no-shrink'),
    ]);
    for (const r of runs) expect(r.code).toBe(1); // the invariant breaks at the third trap
    const [sim, threads, explore] = runs.map((r) => JSON.parse(r.stdout) as { runId: string; trace: string });
    expect(sim!.trace).toBe(`vmmsim-traces/run-named-unlike-its-file-5-${sim!.runId}.json`);
    expect(threads!.trace).toBe(`vmmsim-traces/run-named-unlike-its-file-5-${threads!.runId}.json`);
    expect(explore!.trace).toMatch(/^vmmsim-traces\/explore-named-unlike-its-file-portfolio-5-[0-9a-z]{10}\.json$/);
  }, SPAWN_MS);

  it('names the run in the human report and in every log line, the actors\' included', async () => {
    const log = join(dir, 'run.log');
    const { code, stdout } = await vmmsim('run', '--duration', '300ms', '--vms', '2', '--seed', '3', '--log', log, '--trace', join(dir, 't.json'));
    expect(code).toBe(0);
    const id = /^vmmsim run ([0-9a-z]{10}): /.exec(stdout)?.[1];
    expect(id).toMatch(RUN_ID);
    const lines = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { runId?: string; actor: string });
    // Lines from the main thread and from the VMM actor's worker thread.
    expect(lines.some((l) => l.actor === 'main')).toBe(true);
    expect(lines.some((l) => l.actor === 'vmm')).toBe(true);
    expect(lines.filter((l) => l.runId !== id)).toEqual([]);
  }, SPAWN_MS);
});
