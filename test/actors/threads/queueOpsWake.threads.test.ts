// The VMM actor waiting for the current VM's op, on real threads: an IRQ the PIC raises ends
// the wait (the step ends and the next one takes the interrupt), because the PIC wakes the VMM
// parked on the op queue. No timing assertion: the park's own bound is a minute, so only the
// wake can end it within the test's time; the fixture also fails if the VMM is still parked
// long after the wake (a lost wake-up).
import { describe, expect, it } from 'vitest';
import { CreditLedger, createCreditBuffer } from '../../../src/actors/threads/credits.js';
import { IrqTaker, createIrqBuffer } from '../../../src/actors/threads/irqLines.js';
import { OP_MESSAGE_WORDS } from '../../../src/actors/threads/opMessage.js';
import { QueueOps } from '../../../src/actors/threads/queueOps.js';
import { createQueueBuffer } from '../../../src/shared/queue/mpscQueue.js';
import { spawnTsWorker, workerExit } from '../../shared/fixtures/spawnTsWorker.js';

const MINUTE_MS = 60_000;

describe('QueueOps.ready on threads', () => {
  it('a VMM parked for the current VM\'s op wakes for an IRQ raised meanwhile, and the op wait ends unanswered', async () => {
    const queue = createQueueBuffer({ capacityMessages: 16, wordsPerMessage: OP_MESSAGE_WORDS });
    const irq = createIrqBuffer();
    const cpu = new IrqTaker(irq);
    const ops = new QueueOps(queue, new CreditLedger(createCreditBuffer(1), 8), 1, 8, MINUTE_MS, MINUTE_MS);
    // The fixture waits until this thread is parked, raises source 0 (word 0 of the IRQ buffer), then wakes the queue's consumer.
    const exit = workerExit(spawnTsWorker('actWhenConsumerParks.ts', { sab: queue, action: 'wake', message: [0], news: irq }));
    expect(ops.ready(1, () => cpu.anyRaised())).toBe(false);
    expect(cpu.take(0b1)).toBe(0b1);
    expect(ops.stats()).toMatchObject({ consumerParks: 1, popped: 0 });
    expect(await exit).toBe(0);
  }, 30_000);
});
