// The doorbell: a VM actor parked on a full credit window (for ten minutes here) wakes when the
// orchestrator rings, without being given credit, so it can answer a control message now.
// No timing assertions: the park can only end this early through the doorbell.
import { describe, expect, it } from 'vitest';
import { createCreditBuffer, wakeParkedVmActors } from '../../../src/actors/threads/credits.js';
import { firstMessage, spawnTsWorker } from '../../shared/fixtures/spawnTsWorker.js';

describe('the VM actors\' doorbell', () => {
  it('wakes an actor parked on its full window, which still has no room', async () => {
    const credits = createCreditBuffer(1);
    const words = new Int32Array(credits);
    const worker = spawnTsWorker('../../actors/threads/fixtures/parkedVm.ts', { credits, windowOps: 8 });
    try {
      const answer = firstMessage<{ roomAfterPark: boolean; parks: number }>(worker);
      // Ring until the actor has woken: the first rings may come before it parks (WAITING is word 16 + 2).
      let woke = false;
      void answer.then(() => (woke = true));
      while (!woke) {
        if (Atomics.load(words, 16 + 2) !== 0) wakeParkedVmActors(credits);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      expect(await answer).toEqual({ roomAfterPark: false, parks: 1 });
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
