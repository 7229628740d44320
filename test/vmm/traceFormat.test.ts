// Trace format 11 is the only one read (README: Adjust_Exec_Priority may not take away a boost
// the VMM holds). Format 10: nothing runs in a VM asleep in a callback that blocked, global
// events included. Format 9: a VM in nested execution keeps the CPU once
// suspended; an immediate boost's end is its own record reason. Format 8: a scenario invariant
// is reported at the step it breaks, not again at every step it stays broken (a fresh-machine
// audit met a run of a million steps that reported 982,379 device bugs for one). An older trace
// cannot replay: it is refused with one line, never replayed into a divergence.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { replayTrace, simulate } from '../../src/actors/sim/simulate.js';
import { loadScenario } from '../../src/scenario/load.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { TRACE_VERSION, TRACE_VERSIONS_READ } from '../../src/shared/trace.js';
import { readTraceFile, TraceFormatError, writeTraceFile } from '../../src/shared/traceFile.js';

const fixture = fileURLToPath(new URL('fixtures/default-seed3.v4.trace', import.meta.url));

describe('trace format 11', () => {
  it('is the format written and the only one read; a trace reads back with its hashes', () => {
    expect(TRACE_VERSION).toBe(11);
    expect(TRACE_VERSIONS_READ).toEqual([11]);
    const scenario = defaultScenario(4, 400);
    const { trace } = simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 400 }, seed: 1, steps: 400, config: { handleMode: 'checked', latitude: false } });
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-format-'));
    const current = join(dir, 'run.trace');
    writeTraceFile(current, trace);
    expect(readFileSync(current, 'utf8').split('\n')[0]).toContain('"version":11');
    expect(readTraceFile(current).expect.traceHash).toBe(trace.expect.traceHash);
    for (const version of [3, 4, 5, 6, 7, 8, 9, 10]) {
      const old = join(dir, `v${version}.trace`);
      const lines = readFileSync(current, 'utf8').split('\n');
      writeFileSync(old, [lines[0]!.replace('"version":11', `"version":${version}`), ...lines.slice(1)].join('\n'));
      expect(() => readTraceFile(old)).toThrow(TraceFormatError);
      expect(() => readTraceFile(old)).toThrow(new RegExp(`format version ${version}; this vmmsim reads versions 11 only \\(record the run again\\)$`));
    }
  });

  it('a format-4 trace vmmsim wrote is refused: relabelled as format 11, its run replays into a divergence', async () => {
    expect(() => readTraceFile(fixture)).toThrow(/format version 4; this vmmsim reads versions 11 only/);
    const lines = readFileSync(fixture, 'utf8').split('\n');
    const relabelled = join(mkdtempSync(join(tmpdir(), 'vmmsim-format-')), 'relabelled.trace');
    writeFileSync(relabelled, [lines[0]!.replace('"version":4', '"version":11'), ...lines.slice(1)].join('\n'));
    const trace = readTraceFile(relabelled);
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence?.message).toMatch(/^checkpoint 0 \(record 1024\) differs/);
  });
});

describe('a scenario invariant that stays broken', () => {
  // README "Scenario modules": "A broken invariant is reported at the step it breaks; while it
  // stays broken it is not reported again, and it is again if it holds and then breaks."
  const window = (from: number, to: number) => (step: number) => step >= from && step < to;
  const brokenAt = [window(10, 20), window(30, 35)];
  const scenario = {
    ...defaultScenario(2, 50),
    invariants: [{ name: 'windowed', check: (view: { step: number }) => (brokenAt.some((inside) => inside(view.step)) ? `broken at step ${view.step}` : undefined) }],
  };
  it('is one violation per stretch of steps it is broken: two stretches, two reports, at their first steps', () => {
    const { result } = simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 2, steps: 50 }, seed: 1, steps: 50, config: { handleMode: 'checked', latitude: false } });
    const windowed = result.violations.filter((v) => v.kind === 'windowed');
    expect(windowed.map((v) => v.message)).toEqual(['broken at step 10', 'broken at step 30']);
    expect(result.deviceBugs).toBe(2);
  });

  it('a saved run carries what was reported: restored inside a stretch, the stretch is not reported again', async () => {
    const { RunLoop } = await import('../../src/actors/runLoop.js');
    const { restoreRun, saveRun } = await import('../../src/state/fork.js');
    const { defaultStrategy } = await import('../../src/actors/sim/simulate.js');
    const loop = new RunLoop({ scenario, seed: 1, choices: defaultStrategy(scenario, 1).choices, config: { handleMode: 'checked', latitude: false } });
    while (loop.steps < 15) loop.step();
    const saved = saveRun(loop);
    while (loop.steps < 25) loop.step();
    restoreRun(loop, saved);
    while (loop.steps < 25) loop.step();
    expect(loop.checker.violations.filter((v) => v.kind === 'windowed').map((v) => v.message)).toEqual(['broken at step 10']);
  });
});
