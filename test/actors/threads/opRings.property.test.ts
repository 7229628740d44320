// The VMM side of the data plane against a model: VM actors push their ops into the MPSC queue
// in any interleaving (each within its credit window), the core takes ops of any VM in any order,
// and each VM must get exactly its own ops, in the order it pushed them, decoded to what was
// encoded. Random ops, random windows (so the per-VM rings wrap), seeded.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreditLedger, createCreditBuffer } from '../../../src/actors/threads/credits.js';
import { OP_MESSAGE_WORDS, SEQUENCE_MASK, writeOpMessage } from '../../../src/actors/threads/opMessage.js';
import { OpRing, OpRouter } from '../../../src/actors/threads/opRings.js';
import { QueueOps } from '../../../src/actors/threads/queueOps.js';
import { QueueProducer, createQueueBuffer } from '../../../src/shared/queue/mpscQueue.js';
import { encodeOp, type ClientOp } from '../../../src/vmm/clientOps.js';

const opArb: fc.Arbitrary<ClientOp> = fc.oneof(
  fc.record({ op: fc.constant('run' as const), ticks: fc.integer({ min: 0, max: 0x7fffffff }) }),
  fc.record({ op: fc.constant('trap' as const), device: fc.nat(0xffff), entry: fc.nat(0xffff), arg: fc.nat(0xffff) }),
  fc.constantFrom<ClientOp>({ op: 'cli' }, { op: 'sti' }, { op: 'iret' }, { op: 'eoi' }, { op: 'mode', pm: true }, { op: 'mode', pm: false }),
  fc.record({ op: fc.constant('mask' as const), irq: fc.nat(40), masked: fc.boolean() }),
);

const VM_IDS = 4;
const step = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('push' as const), vmId: fc.integer({ min: 1, max: VM_IDS }), op: opArb }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('take' as const), vmId: fc.integer({ min: 1, max: VM_IDS }) }), weight: 2 },
);

const never = (): boolean => false;
const always = (): boolean => true;

describe('QueueOps: per-VM op rings over the MPSC queue', () => {
  it('property: every VM gets exactly its own ops, in order, whatever the interleaving', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.array(step, { maxLength: 200 }), (windowOps, steps) => {
        const queue = createQueueBuffer({ capacityMessages: VM_IDS * windowOps, wordsPerMessage: OP_MESSAGE_WORDS });
        const ops = new QueueOps(queue, new CreditLedger(createCreditBuffer(VM_IDS), Math.max(2, windowOps)), VM_IDS, windowOps, 1000);
        const producer = new QueueProducer(queue);
        const msg = new Int32Array(OP_MESSAGE_WORDS);
        const waiting: ClientOp[][] = Array.from({ length: VM_IDS + 1 }, () => []);
        const pushed = new Array<number>(VM_IDS + 1).fill(0);
        for (const s of steps) {
          const model = waiting[s.vmId]!;
          if (s.kind === 'push') {
            // A VM actor pushes only within its credit window.
            if (model.length >= windowOps) continue;
            writeOpMessage(msg, { producer: s.vmId, vmId: s.vmId, sequence: pushed[s.vmId]!++ }, s.op);
            expect(producer.tryPush(msg)).toBe(true);
            model.push(s.op);
          } else if (model.length === 0) {
            // Nothing pushed for this VM: not ready (an IRQ ends the wait), whatever other VMs have.
            expect(ops.ready(s.vmId, always)).toBe(false);
          } else {
            expect(ops.ready(s.vmId, never)).toBe(true);
            expect(ops.next(s.vmId)).toEqual(model.shift());
          }
        }
      }),
      { seed: 0x0b5ea7, numRuns: 300 },
    );
  });

  it('property: a ring holds at most its window and gives its ops back in order as it wraps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }), fc.array(fc.tuple(fc.boolean(), opArb), { maxLength: 100 }), (windowOps, steps) => {
        const ring = new OpRing(windowOps);
        const model: ClientOp[] = [];
        const words = new Int32Array(3);
        for (const [push, op] of steps) {
          if (push) {
            encodeOp(op, words, 0);
            expect(ring.push(words, 0)).toBe(model.length < windowOps);
            if (model.length < windowOps) model.push(op);
          } else if (model.length > 0) {
            expect(ring.shift()).toEqual(model.shift());
          }
          expect(ring.count).toBe(model.length);
        }
      }),
      { seed: 0x5eed0, numRuns: 300 },
    );
  });

  it('follows each VM sequence number across its wrap at 2^16', () => {
    const router = new OpRouter(2, 4);
    const msg = new Int32Array(OP_MESSAGE_WORDS);
    const op: ClientOp = { op: 'trap', device: 1, entry: 2, arg: 3 };
    for (let sequence = 0; sequence <= SEQUENCE_MASK + 2; sequence++) {
      writeOpMessage(msg, { producer: 2, vmId: 2, sequence }, op);
      router.read(msg, 0);
      expect(router.rings[2]!.shift()).toEqual(op);
    }
    // 2^16 + 2 ops went through (sequences 0 .. 2^16 - 1, then 0, 1): 0 again would be a repeat, 2 is due.
    writeOpMessage(msg, { producer: 2, vmId: 2, sequence: 0 }, op);
    expect(() => router.read(msg, 0)).toThrow(/op #0 arrived where #2 was due/);
  });

  it('refuses a VM that pushes past its credit window', () => {
    const router = new OpRouter(1, 2);
    const msg = new Int32Array(OP_MESSAGE_WORDS);
    for (let sequence = 0; sequence < 2; sequence++) {
      writeOpMessage(msg, { producer: 1, vmId: 1, sequence }, { op: 'cli' });
      router.read(msg, 0);
    }
    writeOpMessage(msg, { producer: 1, vmId: 1, sequence: 2 }, { op: 'cli' });
    expect(() => router.read(msg, 0)).toThrow(/vm1 pushed more ops than its credit window allows/);
  });
});
