// Ctrl-C, as a user sends it to a real process: explore, replay and trace stop at their next
// safe point (between executions, between steps), say so, and exit 130, however busy the work
// is (it runs on a watched worker; the main thread takes the signal). The scenario's procedure
// sleeps 5 ms when run by those commands (recording, in this process, does not: the trace is the
// same), so the work is surely still going when the signal comes, whatever the machine's speed.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVELOCK_BOUND_MAX } from '../../src/shared/trace.js';
import { scenarioModule } from './support/files.js';
import { runInProcess } from './support/inProcess.js';

const ROOT = resolve(import.meta.dirname, '../..');
let dir = '';

function interruptAfter(ms: number, args: string[]): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The signal goes once the work is under way (the procedure says so on its first call), not
    // at a fixed time from start-up, which a loaded machine may take longer than.
    let sent = false;
    child.stderr.on('data', () => {
      if (sent || !stderr.includes('slow: poking')) return;
      sent = true;
      setTimeout(() => child.kill('SIGINT'), ms);
    });
    child.on('close', (code, signal) => done({ code, signal, stdout, stderr }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'vmmsim-sigint-'));
  writeFileSync(join(dir, 'slow.mjs'), scenarioModule({
    top: "const slow = ['explore', 'replay', 'trace'].some((c) => process.argv.includes(c)); const word = new Int32Array(new SharedArrayBuffer(4));",
    device: "{ name: 'dev', state: () => ({ n: 0 }), entries: ['poke'], procs: { poke(r) { if (slow && !globalThis.poked) { globalThis.poked = true; process.stderr.write('slow: poking\\n'); } if (slow) Atomics.wait(word, 0, 0, 5); r.state.n++; } } }",
  }));
  // 3000 steps, about 1350 of them traps: at least 6 s to replay.
  const recorded = await runInProcess(['run', '--runtime', 'sim', '--scenario', join(dir, 'slow.mjs'), '--steps', '3000', '--trace', join(dir, 'slow.json')], 600_000);
  expect(recorded.code).toBe(0);
}, 600_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('Ctrl-C', () => {
  it('explore: stops between executions, a partial report, exit 130', async () => {
    const r = await interruptAfter(1000, ['explore', join(dir, 'slow.mjs'), '--iterations', '1000000', '--out', join(dir, 'out')]);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/executions in/);
    // The report says on stdout that it is partial (only a stderr line did).
    expect(r.stdout).toMatch(/\n {2}INTERRUPTED by SIGINT after [\d,]+ of 1,000,000 executions: this report covers those\n/);
    expect(r.stderr).toMatch(/interrupted/);
  }, 60_000);

  it('explore --json: the report names the signal that cut it short (interrupted)', async () => {
    const r = await interruptAfter(1000, ['explore', join(dir, 'slow.mjs'), '--iterations', '1000000', '--json', '--out', join(dir, 'out')]);
    expect(r.code).toBe(130);
    const report = JSON.parse(r.stdout) as { interrupted: string | null; executions: number; iterations: number };
    expect(report.interrupted).toBe('SIGINT');
    expect(report.executions).toBeLessThan(report.iterations);
  }, 60_000);

  it('replay: stops between steps, says how far it got, exit 130', async () => {
    const r = await interruptAfter(1000, ['replay', join(dir, 'slow.json')]);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/INTERRUPTED by SIGINT after \d+ of 3000 steps/);
  }, 60_000);

  // An outside audit: a trace padded with 40 MB of choices lines was read to its end after Ctrl-C
  // (replay went on 27 s, then said DIVERGED, exit 1). The signal now ends the read. Sent at a
  // fixed time: whether it comes before the command listens (it is held) or during the read of
  // 1.5 million lines, the read stops at its next line.
  it('replay of a long trace: a stop signal during its read ends it, exit 130, saying so', async () => {
    const lines = readFileSync(join(dir, 'slow.json'), 'utf8').trimEnd().split('\n');
    const padding = new Array<string>(1_500_000).fill('{"t":"choices","runs":[0,0,1]}').join('\n');
    writeFileSync(join(dir, 'long.json'), `${[...lines.slice(0, -1), padding, lines.at(-1)].join('\n')}\n`);
    const r = await new Promise<{ code: number | null; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'replay', join(dir, 'long.json')], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      setTimeout(() => child.kill('SIGINT'), 2000);
      child.on('close', (code) => done({ code, stderr }));
    });
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toMatch(/^(vmmsim: interrupted: stopping [^\n]*\n)?vmmsim: SIGINT: stopped while reading the trace .*long\.json: nothing past the read was done\n$/);
  }, 180_000);

  it('trace: stops the replay it draws from, exit 130', async () => {
    const r = await interruptAfter(1000, ['trace', join(dir, 'slow.json'), '--format', 'html', '-o', join(dir, 'slow.html')]);
    expect(r.code).toBe(130);
    expect(r.stderr).toMatch(/interrupted/);
  }, 60_000);

  it('run --runtime sim: an event that reschedules itself, at the largest livelock bound, still stops at once, exit 130', async () => {
    // Every pass dispatches up to the bound before it is cut; a run stops only between steps, so
    // the bound's cap is what keeps Ctrl-C answered (10^9 made one pass ~1,000 s).
    writeFileSync(join(dir, 'livelock.mjs'), scenarioModule({
      device: "{ name: 'dev', state: () => ({}), entries: ['poke'], procs: { poke(r) { if (!globalThis.poked) { globalThis.poked = true; process.stderr.write('slow: poking\\n'); } r.scheduleGlobalEvent('cb', 0); }, cb(r) { r.scheduleGlobalEvent('cb', 0); } } }",
      extra: `, config: { livelockBound: ${LIVELOCK_BOUND_MAX} }`,
    }));
    // Without the cap this ran until killed: the test's own bound is the hang check.
    const r = await interruptAfter(500, ['run', '--runtime', 'sim', '--scenario', join(dir, 'livelock.mjs'), '--steps', '1000000', '--no-trace']);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toMatch(/livelock/);
  }, 60_000);

  it('bench: stops between measurements, prints the figures taken so far, exit 130', async () => {
    const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((done) => {
      const child = spawn(process.execPath, ['bin/vmmsim.js', 'bench', '--quick', '--json'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      let sent = false;
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => {
        stderr += d.toString();
        // The event path is measured once the next measurement is announced: interrupt then.
        if (!sent && stderr.includes('callback latency')) {
          sent = true;
          child.kill('SIGINT');
        }
      });
      child.on('close', (code) => done({ code, stdout, stderr }));
    });
    expect(r.code, r.stderr).toBe(130);
    const report = JSON.parse(r.stdout) as { interrupted: boolean; measured: { eventPath?: { vms: number }[]; simSteps?: unknown } };
    expect(report.interrupted).toBe(true);
    expect(report.measured.eventPath?.map((row) => row.vms)).toEqual([1, 2, 4, 8]);
    expect(report.measured.simSteps).toBeUndefined();
  }, 120_000);
});
