/**
 * A run's own workload uses its trap op objects again (workload.ts, trapOpsKeptFor): the ops
 * it hands out must be the seeded stream field for field, and no op a holder still reads (the
 * tail of records, however long) may change under it.
 */
import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../src/actors/runLoop.js';
import { runLoopSteps } from '../../src/actors/sim/simRun.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { seededWorkload, trapOpsKeptFor } from '../../src/actors/workload.js';
import { describeOp, type ClientOp } from '../../src/vmm/clientOps.js';
import type { RecordOf } from '../../src/vmm/history.js';
import { defaultScenario } from '../../src/scenario/default.js';

describe('trap ops used again', () => {
  const scenario = defaultScenario(4, 2000);

  it('a workload that uses its trap ops again gives the stream of one that does not, and uses each object again after trapOpsKept traps', () => {
    const fresh = seededWorkload(9, scenario);
    const reused = seededWorkload(9, scenario, 3);
    const trapsSeen: ClientOp[] = [];
    for (let i = 0; i < 3000; i++) {
      const vm = 1 + (i % 4);
      const a = reused.next(vm);
      expect(describeOp(a)).toBe(describeOp(fresh.next(vm)));
      if (vm === 1 && a.op === 'trap') trapsSeen.push(a);
    }
    expect(trapsSeen.length).toBeGreaterThan(6);
    expect(trapsSeen[3]).toBe(trapsSeen[0]);
    expect(trapsSeen[1]).not.toBe(trapsSeen[0]);
  });

  it('keeps more trap ops than any tail of records holds', () => {
    expect(trapOpsKeptFor(0)).toBeGreaterThan(0);
    expect(trapOpsKeptFor(1)).toBeGreaterThan(1);
    expect(trapOpsKeptFor(64)).toBeGreaterThan(64);
    expect(trapOpsKeptFor(1000)).toBeGreaterThan(1000);
  });

  // "a copy has its own op (copyRecord)": a tail of any length shows each clientOp record's own
  // op, as a run with a new op object per trap does.
  it.each([1, 8, 64, 5000])('a tail of %i records shows the ops the run took', (tailRecords) => {
    const run = (ops: boolean): { hash: string; tail: string[] } => {
      const loop = new RunLoop({ scenario, seed: 4, choices: defaultStrategy(scenario, 4).choices, tailRecords, ...(ops ? { ops: seededWorkload(4, scenario) } : {}) });
      const result = runLoopSteps(loop, 2000);
      const tail = result.tail.filter((r) => r.k === 'clientOp').map((r) => describeOp((r as RecordOf<'clientOp'>).op));
      return { hash: result.traceHash, tail };
    };
    const reused = run(false);
    const fresh = run(true);
    // A short tail may hold no clientOp: the run's end (the shutdown's control messages) fills it
    // (a stateful search's runs keep a tail of one); longer ones hold traps.
    if (tailRecords > 8) expect(reused.tail.some((op) => op.startsWith('trap'))).toBe(true);
    expect(reused).toEqual(fresh);
  });
});
