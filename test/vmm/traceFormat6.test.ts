// Trace format 6: the machine's own control messages end in an event-processing point (SPEC §3:
// "Global events run before returning to *any* VM"), each sharer of an IRQ runs with interrupts
// disabled (§6), a trap into no entry returns through a processing point, a checked handle is
// never reused before ~2^31 others, and a dispatch record hashes the carry flag its callback
// got (§3, the time-out's carry) and a pass's end whether the livelock bound cut it. Every run
// that dispatches an event hashes otherwise than at format 5, so an older trace cannot replay:
// it is refused with one line, never replayed into a divergence.
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

describe('trace format 6', () => {
  it('is the format written and the only one read; a trace reads back with its hashes', () => {
    expect(TRACE_VERSION).toBe(6);
    expect(TRACE_VERSIONS_READ).toEqual([6]);
    const scenario = defaultScenario(4, 400);
    const { trace } = simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 400 }, seed: 1, steps: 400, config: { handleMode: 'checked', latitude: false } });
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-format-'));
    const current = join(dir, 'run.trace');
    writeTraceFile(current, trace);
    expect(readFileSync(current, 'utf8').split('\n')[0]).toContain('"version":6');
    expect(readTraceFile(current).expect.traceHash).toBe(trace.expect.traceHash);
    for (const version of [3, 4, 5]) {
      const old = join(dir, `v${version}.trace`);
      const lines = readFileSync(current, 'utf8').split('\n');
      writeFileSync(old, [lines[0]!.replace('"version":6', `"version":${version}`), ...lines.slice(1)].join('\n'));
      expect(() => readTraceFile(old)).toThrow(TraceFormatError);
      expect(() => readTraceFile(old)).toThrow(new RegExp(`format version ${version}; this vmmsim reads versions 6 only \\(record the run again\\)$`));
    }
  });

  it('a format-4 trace vmmsim wrote is refused: relabelled as format 6, its run replays into a divergence', async () => {
    expect(() => readTraceFile(fixture)).toThrow(/format version 4; this vmmsim reads versions 6 only/);
    const lines = readFileSync(fixture, 'utf8').split('\n');
    const relabelled = join(mkdtempSync(join(tmpdir(), 'vmmsim-format-')), 'relabelled.trace');
    writeFileSync(relabelled, [lines[0]!.replace('"version":4', '"version":6'), ...lines.slice(1)].join('\n'));
    const trace = readTraceFile(relabelled);
    const replay = replayTrace(trace, await loadScenario(trace.scenario));
    expect(replay.divergence?.message).toMatch(/^checkpoint 0 \(record 1024\) differs/);
  });
});
