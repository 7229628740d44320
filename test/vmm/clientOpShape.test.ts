// Every op the core is handed has one shape (clientOps.ts): all the kinds' fields, in one order,
// those its kind lacks undefined. The core reads `op.op` three times a step; over several shapes
// V8 makes those reads generic lookups. A source that made ops of its own shape again would be
// as correct and slower, so the shape is held here, and so is what a reader of an op still sees:
// its kind's fields only, in a JSON text and in a deep equality.
import { describe, expect, it } from 'vitest';
import { OpRing } from '../../src/actors/threads/opRings.js';
import { Workload, entryPoints, virtualizedIrqs } from '../../src/actors/workload.js';
import { Rng } from '../../src/shared/rng.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { CLI, EOI, IRET, MODE_PM, MODE_V86, OPCODE, STI, decodeOp, encodeOp, maskOp, newRunOp, newTrapOp, runOp, type ClientOp } from '../../src/vmm/clientOps.js';
import { RecordRing, copyRecord } from '../../src/vmm/recordRing.js';
import { KIND } from '../../src/vmm/recordKinds.js';
import type { RecordOf } from '../../src/vmm/history.js';

const SHAPE = ['op', 'ticks', 'device', 'entry', 'arg', 'irq', 'masked', 'pm'];

function workloadOps(trapOpsKept: number, count: number): ClientOp[] {
  const { devices } = defaultScenario(4, 1000);
  const workload = new Workload(new Rng(7).child('vm1'), entryPoints(devices), undefined, virtualizedIrqs(devices), trapOpsKept);
  return Array.from({ length: count }, () => workload.next());
}

describe('client op objects: one shape', () => {
  it('the shared ops, the made ones, and every decoded opcode have the same fields in the same order', () => {
    const words = new Int32Array(3);
    const decoded = Object.values(OPCODE).map((code) => {
      words[0] = code;
      words[1] = code === OPCODE.mask ? 3 : 5;
      words[2] = 1;
      return decodeOp(words);
    });
    const made = [CLI, STI, IRET, EOI, MODE_PM, MODE_V86, maskOp(3, true), maskOp(40, false), runOp(5), runOp(1e6), newRunOp(2), newTrapOp(1, 2, 3)];
    for (const op of [...decoded, ...made]) expect(Object.keys(op), JSON.stringify(op)).toEqual(SHAPE);
  });

  it('a seeded workload hands out only such ops, with new trap ops and with its own used in turn', () => {
    for (const kept of [0, 3]) {
      const ops = workloadOps(kept, 2000);
      expect(new Set(ops.map((op) => op.op)).size).toBe(8);
      for (const op of ops) expect(Object.keys(op)).toEqual(SHAPE);
    }
  });

  it("the VMM actor's op rings hand out only such ops", () => {
    const ring = new OpRing(16);
    const words = new Int32Array(3);
    for (const op of workloadOps(0, 200)) {
      encodeOp(op, words);
      ring.push(words, 0);
      const out = ring.shift();
      expect(Object.keys(out)).toEqual(SHAPE);
      expect(out).toEqual(op);
    }
  });

  it("a clientOp record, and its copy, hold such an op (the record ring's blank one too)", () => {
    const ring = new RecordRing(4);
    const record = ring.next(KIND.clientOp) as RecordOf<'clientOp'>;
    expect(Object.keys(record.op)).toEqual(SHAPE);
    record.op = newTrapOp(1, 2, 3);
    expect(Object.keys(copyRecord(record).op)).toEqual(SHAPE);
  });

  it("a reader sees only its kind's fields: JSON text, deep equality", () => {
    expect(JSON.stringify(newTrapOp(1, 2, 3))).toBe('{"op":"trap","device":1,"entry":2,"arg":3}');
    expect(JSON.stringify(runOp(7))).toBe('{"op":"run","ticks":7}');
    expect(JSON.stringify(MODE_PM)).toBe('{"op":"mode","pm":true}');
    expect(JSON.stringify(maskOp(4, false))).toBe('{"op":"mask","irq":4,"masked":false}');
    expect(JSON.stringify(IRET)).toBe('{"op":"iret"}');
    expect(maskOp(4, true)).toEqual({ op: 'mask', irq: 4, masked: true });
    expect(newTrapOp(1, 2, 3)).not.toEqual({ op: 'trap', device: 1, entry: 2, arg: 4 });
  });
});
