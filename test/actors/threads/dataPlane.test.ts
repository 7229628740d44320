// The threaded runtime's shared-memory pieces, on one thread: the op message layout, the
// credit window, the IRQ word, and the VMM's per-VM op buffers over the MPSC queue.
import { describe, expect, it } from 'vitest';
import { CreditLedger, CreditWindow, createCreditBuffer } from '../../../src/actors/threads/credits.js';
import { IrqRaiser, IrqTaker, createIrqBuffer } from '../../../src/actors/threads/irqLines.js';
import { OP_MESSAGE_WORDS, readOpHeader, readOpMessage, writeOpMessage } from '../../../src/actors/threads/opMessage.js';
import { DRAIN_BATCH_MESSAGES, QueueOps } from '../../../src/actors/threads/queueOps.js';
import { QueueProducer, closeQueueBuffer, createQueueBuffer } from '../../../src/shared/queue/mpscQueue.js';
import type { ClientOp } from '../../../src/vmm/clientOps.js';

const OPS: ClientOp[] = [
  { op: 'run', ticks: 77 }, { op: 'trap', device: 3, entry: 2, arg: 0xbeef }, { op: 'cli' }, { op: 'sti' }, { op: 'iret' }, { op: 'mode', pm: true },
];

function message(vmId: number, sequence: number, op: ClientOp): Int32Array {
  const msg = new Int32Array(OP_MESSAGE_WORDS);
  writeOpMessage(msg, { producer: vmId, vmId, sequence }, op);
  return msg;
}

describe('op message', () => {
  it('carries the header and every kind of op through its 4 words', () => {
    OPS.forEach((op, i) => {
      const msg = message(64, 0x10000 + i, op);
      expect(readOpHeader(msg)).toEqual({ producer: 64, vmId: 64, sequence: i });
      expect(readOpMessage(msg)).toEqual(op);
    });
  });
});

describe('credit window', () => {
  it('has room until windowOps ops are outstanding, and again once the VMM consumed some', () => {
    const buffer = createCreditBuffer(3);
    const window = new CreditWindow(buffer, 2, 4);
    const ledger = new CreditLedger(buffer, 4);
    expect(window.hasRoom(3)).toBe(true);
    expect(window.hasRoom(4)).toBe(false);
    ledger.consumed(2);
    expect(window.hasRoom(4)).toBe(true);
    expect(window.consumed).toBe(1);
    // Another VM's consumption is another VM's credit.
    ledger.consumed(3);
    expect(window.hasRoom(5)).toBe(false);
  });

  it('does not park when the window has room, and reports no room after a park that timed out', () => {
    const buffer = createCreditBuffer(1);
    const window = new CreditWindow(buffer, 1, 2);
    expect(window.park(1, 10_000)).toBe(true);
    expect(window.parks).toBe(0);
    expect(window.park(2, 1)).toBe(false);
    expect(window.parks).toBe(1);
  });
});

describe('IRQ word', () => {
  it('hands the VMM only the eligible sources and keeps the rest raised', () => {
    const buffer = createIrqBuffer();
    const pic = new IrqRaiser(buffer);
    const cpu = new IrqTaker(buffer);
    expect(cpu.take(0b111)).toBe(0);
    pic.raise(0b101);
    pic.raise(0b001);
    expect(cpu.take(0b011)).toBe(0b001);
    expect(cpu.anyRaised()).toBe(true);
    expect(cpu.take(0b100)).toBe(0b100);
    expect(cpu.anyRaised()).toBe(false);
    expect(pic.raises(3)).toEqual([2, 0, 1]);
  });
});

describe('QueueOps (the VMM side of the data plane)', () => {
  function setup() {
    const queue = createQueueBuffer({ capacityMessages: 16, wordsPerMessage: OP_MESSAGE_WORDS });
    const credits = createCreditBuffer(2);
    const ops = new QueueOps(queue, new CreditLedger(credits, 8), 2, 8, 1000);
    return { queue, producer: new QueueProducer(queue), ops, window: (vmId: number) => new CreditWindow(credits, vmId, 8) };
  }

  it("gives each VM its own ops in order, whatever the queue's interleaving, and counts the credits", () => {
    const { producer, ops, window } = setup();
    producer.push(message(2, 0, OPS[0]!));
    producer.push(message(1, 0, OPS[1]!));
    producer.push(message(2, 1, OPS[2]!));
    producer.push(message(1, 1, OPS[3]!));
    expect(ops.next(1)).toEqual(OPS[1]);
    expect(ops.next(1)).toEqual(OPS[3]);
    expect(ops.next(2)).toEqual(OPS[0]);
    // Credits are published in batches (every 2 ops with a window of 8), and all of them on a flush.
    expect(window(1).consumed).toBe(2);
    expect(window(2).consumed).toBe(0);
    ops.flushCredits();
    expect(window(2).consumed).toBe(1);
    expect(ops.next(2)).toEqual(OPS[2]);
  });

  it('refuses a lost or reordered op instead of skipping it', () => {
    const { producer, ops } = setup();
    producer.push(message(1, 1, OPS[0]!));
    expect(() => ops.next(1)).toThrow(/op #1 arrived where #0 was due/);
  });

  it('refuses an op for a VM without an actor', () => {
    const { producer, ops } = setup();
    producer.push(message(3, 0, OPS[0]!));
    expect(() => ops.next(1)).toThrow(expect.objectContaining({ name: 'DataPlaneError' }));
  });

  describe('a backlog of other VMs\' ops', () => {
    const BACKLOG = 2 * DRAIN_BATCH_MESSAGES + 88;

    function backlogged() {
      const queue = createQueueBuffer({ capacityMessages: 1024, wordsPerMessage: OP_MESSAGE_WORDS });
      const ops = new QueueOps(queue, new CreditLedger(createCreditBuffer(2), 1024), 2, 1024, 60_000);
      const producer = new QueueProducer(queue);
      for (let i = 0; i < BACKLOG; i++) producer.push(message(2, i, OPS[i % OPS.length]!));
      producer.push(message(1, 0, OPS[1]!));
      return ops;
    }

    it('is routed a batch at a time, the IRQ word looked at between batches: an IRQ ends the wait for the current VM', () => {
      const ops = backlogged();
      let looks = 0;
      expect(ops.ready(1, () => ++looks > 0)).toBe(false);
      expect(looks).toBe(1);
      expect(ops.stats().popped).toBe(DRAIN_BATCH_MESSAGES);
      // No IRQ: routing goes on until VM 1's op is in (the whole backlog is ahead of it): two
      // more batches, the IRQ word looked at between them, not after the one that brought the op.
      looks = 0;
      expect(ops.ready(1, () => (looks++, false))).toBe(true);
      expect(looks).toBe(1);
      expect(ops.stats().popped).toBe(BACKLOG + 1);
      expect(ops.next(1)).toEqual(OPS[1]);
      for (let i = 0; i < BACKLOG; i++) expect(ops.next(2)).toEqual(OPS[i % OPS.length]);
    });

    it('next() routes as many batches as the current VM\'s op is behind', () => {
      const ops = backlogged();
      expect(ops.next(1)).toEqual(OPS[1]);
      expect(ops.stats().popped).toBe(BACKLOG + 1);
      expect(ops.next(2)).toEqual(OPS[0]);
    });
  });

  it('on a closed queue: the ops published before the close still come, then ready() says none is there and next() fails with a clear error', () => {
    const { queue, producer, ops } = setup();
    producer.push(message(1, 0, OPS[0]!));
    closeQueueBuffer(queue);
    expect(ops.ready(1, () => false)).toBe(true);
    expect(ops.next(1)).toEqual(OPS[0]);
    expect(ops.ready(1, () => false)).toBe(false);
    expect(() => ops.next(1)).toThrow(/op queue was closed while VM 1 had no op ready/);
  });

  it('a VM whose op never comes fails the wait after the stall bound instead of hanging', () => {
    const queue = createQueueBuffer({ capacityMessages: 16, wordsPerMessage: OP_MESSAGE_WORDS });
    const ops = new QueueOps(queue, new CreditLedger(createCreditBuffer(1), 8), 1, 8, 20, 5);
    expect(() => ops.ready(1, () => false)).toThrow(/no op from vm1 for \d+ ms: its actor is stuck/);
    expect(() => ops.next(1)).toThrow(expect.objectContaining({ name: 'DataPlaneError' }));
  });
});
