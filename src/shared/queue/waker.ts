// Waking the queue's consumer without publishing a message: for a thread whose news is not a
// message but that the consumer must not sleep through (the PIC actor raising an IRQ while the
// VMM actor waits for a VM's op). The news goes first, in shared memory the consumer re-checks
// (the `woken` test of QueueConsumer.awaitMessage); then wake(). The consumer announces itself
// (NOT_EMPTY_WAITERS) before that re-check, so either the re-check sees the news or wake()
// sees the announcement and bumps the epoch it waits on: no lost wake-up (wake.ts).
// When the consumer is not parked, wake() is one atomic load.

import { attachQueue } from './layout.js';
import type { EventCount } from '../wake.js';

export class ConsumerWaker {
  private readonly notEmpty: EventCount;

  constructor(sab: SharedArrayBuffer) {
    this.notEmpty = attachQueue(sab).notEmpty;
  }

  wake(): void {
    this.notEmpty.notifyIfWaiting();
  }
}
