// Trace format 4: the destruction messages' order (test/vmm/destroyOrder.test.ts, the DDK's
// VM_Not_Executeable: "the virtual machine is no longer capable of executing") changed the run
// of every scenario with a `destroy` step, so a format-3 trace's hashes would not match: it is
// refused with a one-line message, as format 3 refuses format 2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { TRACE_VERSION } from '../../src/shared/trace.js';
import { readTraceFile, TraceFormatError, writeTraceFile } from '../../src/shared/traceFile.js';

describe('trace format 4', () => {
  it('is the format written, and a format-3 trace of the same run is refused, not replayed', () => {
    expect(TRACE_VERSION).toBe(4);
    const scenario = defaultScenario(4, 400);
    expect(scenario.lifecycle?.some((change) => change.op === 'destroy')).toBe(true);
    const { trace } = simulate({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 4, steps: 400 }, seed: 1, steps: 400, config: { handleMode: 'checked', latitude: false } });
    const dir = mkdtempSync(join(tmpdir(), 'vmmsim-format-'));
    const current = join(dir, 'run.trace');
    writeTraceFile(current, trace);
    expect(readTraceFile(current).expect.traceHash).toBe(trace.expect.traceHash);
    const old = join(dir, 'old.trace');
    const lines = readFileSync(current, 'utf8').split('\n');
    writeFileSync(old, [lines[0]!.replace('"version":4', '"version":3'), ...lines.slice(1)].join('\n'));
    expect(() => readTraceFile(old)).toThrow(TraceFormatError);
    expect(() => readTraceFile(old)).toThrow(/format version 3; this vmmsim reads version 4 only \(record the run again\)$/);
  });
});
