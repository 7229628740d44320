// The threaded `vmmsim run` as a user meets it (the CLI in a child process): an injected crash
// ends the run with exit code 3, the actor named and the trace so far written (and replayable);
// SIGINT stops it cleanly with a partial report and exit code 130, every worker ended; a bad
// --fault is a usage error (exit 2, one line).
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readTraceFile } from '../../../src/shared/traceFile.js';
import { replayTrace } from '../../../src/actors/sim/simulate.js';
import { loadScenario } from '../../../src/scenario/load.js';
import { runCli } from './fixtures/cli.js';
import { FEW_CORES_MAX, V8_POOL_FLAG } from '../../../src/cli/relaunch.js';

/** The command lines of a process's children (Linux /proc). */
function childCommandLines(pid: number): string[] {
  const lines: string[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid) lines.push(readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').join(' '));
    } catch {
      // the process ended meanwhile
    }
  }
  return lines;
}

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-cli-'));
/** Each test starts a CLI and its worker threads under tsx: seconds, more on a busy machine. */
const CLI_TEST_MS = 90_000;
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('vmmsim run --runtime threads', () => {
  it('crash:vm2@1s: exit 3, the report names vm2 and its error, the trace so far replays', async () => {
    const tracePath = join(dir, 'crash.json');
    const { code, stdout, stderr } = await runCli(['run', '--vms', '3', '--duration', '30', '--fault', 'crash:vm2@1s', '--json', '--trace', tracePath]).done;
    expect(code).toBe(3);
    const report = JSON.parse(stdout);
    expect(report.outcome).toBe('crashed');
    expect(report.fault.actor).toBe('vm2');
    expect(report.fault.error).toMatchObject({ name: 'InjectedFault', message: expect.stringContaining('crash:vm2@1s') });
    expect(report.fault.error.stack).toEqual(expect.any(String));
    expect(report.threads.workersRunning).toBe(0);
    expect(stderr).toContain('actor vm2 failed: InjectedFault');
    const trace = readTraceFile(tracePath);
    expect(trace.steps).toBe(report.traceSteps);
    expect(replayTrace(trace, await loadScenario(trace.scenario)).divergence).toBeNull();
  }, CLI_TEST_MS);

  it('SIGINT: exit 130 with a partial report, no worker left running', async () => {
    const run = runCli(['run', '--vms', '3', '--duration', '60', '--json', '--no-trace', '--log-level', 'info']);
    await run.stderrContains('vmm run started');
    // On few cores the run is in a second node with one V8 platform thread (src/cli/relaunch.ts);
    // the signal goes to the first, as a user's does, and must reach the run.
    if (process.platform === 'linux' && availableParallelism() <= FEW_CORES_MAX) {
      expect(childCommandLines(run.child.pid!).some((line) => line.includes(V8_POOL_FLAG))).toBe(true);
    }
    run.child.kill('SIGINT');
    const { code, stdout } = await run.done;
    expect(code).toBe(130);
    const report = JSON.parse(stdout);
    expect(report.outcome).toBe('interrupted');
    expect(report.fault).toBeNull();
    expect(report.durationS).toBeLessThan(60);
    expect(report.invariantsOk).toBe(true);
    expect(report.threads.workersRunning).toBe(0);
  }, CLI_TEST_MS);

  // src/cli/relaunch.ts stopWhenOrphaned: "if the first one goes away without passing a signal on
  // (killed with SIGKILL, or a hang-up), stop the run as Ctrl-C would": once, so that the stop
  // finishes its report and trace (a second SIGINT is "exit now").
  it.skipIf(!(process.platform === 'linux' && availableParallelism() <= FEW_CORES_MAX))('the first node killed (SIGKILL): the relaunched run stops as Ctrl-C would, its report and trace kept', async () => {
    const tracePath = join(dir, 'orphaned.json');
    const run = runCli(['run', '--vms', '3', '--duration', '60', '--json', '--trace', tracePath, '--log-level', 'info']);
    await run.stderrContains('vmm run started');
    run.child.kill('SIGKILL');
    // The pipes close when the relaunched node, which shares them, has exited.
    const { stdout, stderr } = await run.done;
    expect(stderr).not.toContain('interrupted again');
    const report = JSON.parse(stdout);
    expect(report.outcome).toBe('interrupted');
    expect(report.threads.workersRunning).toBe(0);
    const trace = readTraceFile(tracePath);
    expect(trace.steps).toBe(report.traceSteps);
    expect(replayTrace(trace, await loadScenario(trace.scenario)).divergence).toBeNull();
  }, CLI_TEST_MS);

  // A second Ctrl-C exits at once, but the trace so far gets its end line first: a trace cut
  // before its end line was refused whole by replay ("it stops before its end line"), the parts
  // written before included (an outside audit).
  it('a second SIGINT while the run stops: exit 130 at once, the trace up to its last chunk ends and replays', async () => {
    const tracePath = join(dir, 'double.json');
    // Not relaunched on few cores (src/cli/relaunch.ts): both signals reach the process that runs.
    const run = runCli(['run', '--vms', '3', '--duration', '60', '--json', '--trace', tracePath, '--log-level', 'info'], { VMMSIM_RELAUNCH: '0' });
    await run.stderrContains('vmm run started');
    await new Promise((wait) => setTimeout(wait, 500)); // a few of the VMM's chunks (one every 100 ms)
    run.child.kill('SIGINT');
    await new Promise((wait) => setTimeout(wait, 5));
    run.child.kill('SIGINT');
    const { code, stdout, stderr } = await run.done;
    expect(code).toBe(130);
    expect(stderr.split('\n').filter((line) => line.startsWith('vmmsim: interrupted'))).toEqual(['vmmsim: interrupted again: exiting now']);
    expect(stdout).toBe(''); // no report: it exited at once
    const trace = readTraceFile(tracePath);
    expect(trace.steps).toBeGreaterThan(0);
    expect(replayTrace(trace, await loadScenario(trace.scenario)).divergence).toBeNull();
  }, CLI_TEST_MS);

  it.each([
    [['--fault', 'crash:vm2'], /bad --fault 'crash:vm2'/],
    [['--fault', 'crash:vm9@1s'], /this run's VMs are vm1 to vm5/],
    [['--duration', '0'], /--duration must be a time above 0/],
    // was: exit 0, a clean run whose report listed the fault as injected
    [['--duration', '500ms', '--fault', 'crash:vm2@10s'], /bad --fault 'crash:vm2@10s': the run lasts 500 ms \(--duration\), so it would never fire/],
  ])('bad input %j: exit 2, one line', async (args, message) => {
    const { code, stdout, stderr } = await runCli(['run', '--vms', '4', ...args]).done;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
  }, CLI_TEST_MS);
});
