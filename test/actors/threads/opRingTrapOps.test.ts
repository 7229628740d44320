// The VMM actor's trap ops are objects its per-VM ring uses again (opRings.ts): an op handed out
// must stay as it was for as long as anything may still hold it, i.e. for the next
// TRAP_OPS_KEPT - 1 trap ops of its VM, which is more than the VMM actor's tail of records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OpRing, TRAP_OPS_KEPT } from '../../../src/actors/threads/opRings.js';
import { VMM_TAIL_RECORDS } from '../../../src/actors/threads/vmmRun.js';
import { encodeOp, type ClientOp } from '../../../src/vmm/clientOps.js';
import { copyRecord, RecordRing } from '../../../src/vmm/recordRing.js';
import { KIND } from '../../../src/vmm/recordKinds.js';
import type { RecordOf } from '../../../src/vmm/history.js';

const trapArb = fc.record({ op: fc.constant('trap' as const), device: fc.nat(0xffff), entry: fc.nat(0xffff), arg: fc.nat(0xffff) });
const opArb: fc.Arbitrary<ClientOp> = fc.oneof(trapArb, fc.constantFrom<ClientOp>({ op: 'cli' }, { op: 'iret' }, { op: 'run', ticks: 7 }));

describe('OpRing: trap op objects used again', () => {
  it('property: every op taken is still what was pushed after the next TRAP_OPS_KEPT - 1 trap ops', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 1, maxLength: 3 * TRAP_OPS_KEPT }), (ops) => {
      const ring = new OpRing(4);
      const words = new Int32Array(3);
      const taken: { op: ClientOp; expected: ClientOp; trapsAfter: number }[] = [];
      for (const op of ops) {
        encodeOp(op, words, 0);
        ring.push(words, 0);
        const got = ring.shift();
        for (const t of taken) if (got.op === 'trap') t.trapsAfter++;
        taken.push({ op: got, expected: op, trapsAfter: 0 });
        for (const t of taken) if (t.trapsAfter < TRAP_OPS_KEPT) expect(t.op).toEqual(t.expected);
      }
    }), { seed: 0x7a9, numRuns: 100 });
  });

  it('keeps more trap ops per VM than the VMM actor keeps records in its tail', () => {
    expect(TRAP_OPS_KEPT).toBeGreaterThan(VMM_TAIL_RECORDS);
  });

  it('a copy of a clientOp record has its own op: the source writing over its op later does not change the copy', () => {
    const ring = new RecordRing(1);
    const op = { op: 'trap' as const, device: 1, entry: 2, arg: 3 };
    const record = ring.next(KIND.clientOp) as RecordOf<'clientOp'>;
    record.op = op;
    const copy = copyRecord(record);
    op.arg = 4;
    expect(copy.op).toEqual({ op: 'trap', device: 1, entry: 2, arg: 3 });
    expect(ring.toArray()[0]).toMatchObject({ k: 'clientOp', op: { arg: 4 } });
  });
});
