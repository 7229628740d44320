// Trace format 4: the destruction messages' order (test/vmm/destroyOrder.test.ts, the DDK's
// VM_Not_Executeable: "the virtual machine is no longer capable of executing") changed the run
// of every scenario with a `destroy` step, so a format-3 trace's hashes would not match: it is
// refused with a one-line message, as format 3 refuses format 2. Trace format 5 (an event callback
// may block on the critical section: the blockedCallback record) still reads format 4: a run
// with no such block makes the same records, so its hashes match.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { TRACE_VERSION } from '../../src/shared/trace.js';
import { readTraceFile, TraceFormatError, writeTraceFile } from '../../src/shared/traceFile.js';

describe('trace formats 4 and 5', () => {
  it('5 is the format written; a format-4 trace of the same run reads with the same hashes; a format-3 one is refused, not replayed', () => {
    expect(TRACE_VERSION).toBe(5);
    const scenario = defaultScenario(4, 400);
    expect(scenario.lifecycle?.some((change) => change.op === 'destroy')).toBe(true);
    const { trace } = simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 400 }, seed: 1, steps: 400, config: { handleMode: 'checked', latitude: false } });
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-format-'));
    const current = join(dir, 'run.trace');
    writeTraceFile(current, trace);
    expect(readTraceFile(current).expect.traceHash).toBe(trace.expect.traceHash);
    const lines = readFileSync(current, 'utf8').split('\n');
    expect(lines[0]).toContain('"version":5');
    const four = join(dir, 'four.trace');
    writeFileSync(four, [lines[0]!.replace('"version":5', '"version":4'), ...lines.slice(1)].join('\n'));
    expect(readTraceFile(four).expect.traceHash).toBe(trace.expect.traceHash);
    const old = join(dir, 'old.trace');
    writeFileSync(old, [lines[0]!.replace('"version":5', '"version":3'), ...lines.slice(1)].join('\n'));
    expect(() => readTraceFile(old)).toThrow(TraceFormatError);
    expect(() => readTraceFile(old)).toThrow(/format version 3; this vmmsim reads versions 4 and 5 only \(record the run again\)$/);
  });
});
