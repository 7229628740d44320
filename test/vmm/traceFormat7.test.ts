// Trace format 7: the interrupt state of each control message is the DDK's (enabled but for
// Sys_Critical_Init and VM_Critical_Init, so boot's Device_Init and the shutdown's System_Exit are
// preemption points with interrupts enabled), and the shutdown destroys every VM but the system VM
// before Sys_VM_Terminate ("only after all other virtual machines have terminated"). Every run
// ends otherwise than at format 6, so an older trace cannot replay: it is refused with one line,
// never replayed into a divergence. (Format 6 made the machine's own control messages end in an
// event-processing point, each sharer of an IRQ run with interrupts disabled, and a dispatch
// record hash its carry flag.)
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

describe('trace format 7', () => {
  it('is the format written and the only one read; a trace reads back with its hashes', () => {
    expect(TRACE_VERSION).toBe(7);
    expect(TRACE_VERSIONS_READ).toEqual([7]);
    const scenario = defaultScenario(4, 400);
    const { trace } = simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 400 }, seed: 1, steps: 400, config: { handleMode: 'checked', latitude: false } });
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-format-'));
    const current = join(dir, 'run.trace');
    writeTraceFile(current, trace);
    expect(readFileSync(current, 'utf8').split('\n')[0]).toContain('"version":7');
    expect(readTraceFile(current).expect.traceHash).toBe(trace.expect.traceHash);
    for (const version of [3, 4, 5, 6]) {
      const old = join(dir, `v${version}.trace`);
      const lines = readFileSync(current, 'utf8').split('\n');
      writeFileSync(old, [lines[0]!.replace('"version":7', `"version":${version}`), ...lines.slice(1)].join('\n'));
      expect(() => readTraceFile(old)).toThrow(TraceFormatError);
      expect(() => readTraceFile(old)).toThrow(new RegExp(`format version ${version}; this vmmsim reads versions 7 only \\(record the run again\\)$`));
    }
  });

  it('a format-4 trace vmmsim wrote is refused: relabelled as format 7, its run replays into a divergence', async () => {
    expect(() => readTraceFile(fixture)).toThrow(/format version 4; this vmmsim reads versions 7 only/);
    const lines = readFileSync(fixture, 'utf8').split('\n');
    const relabelled = join(mkdtempSync(join(tmpdir(), 'vmmsim-format-')), 'relabelled.trace');
    writeFileSync(relabelled, [lines[0]!.replace('"version":4', '"version":7'), ...lines.slice(1)].join('\n'));
    const trace = readTraceFile(relabelled);
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence?.message).toMatch(/^checkpoint 0 \(record 1024\) differs/);
  });
});
