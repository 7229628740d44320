// The VMM's side of a parked VM actor: it wakes the actor (Atomics.notify, which V8 serializes
// with every wait of the process) only once that VM's ops are about to run out, a quarter window
// left, not as soon as half the window is free: between the two the actor looks by itself.
// No timing assertions: the fixture parks for ten minutes, so only the wake can end it in time.
import { describe, expect, it } from 'vitest';
import { CreditLedger, createCreditBuffer } from '../../../src/actors/threads/credits.js';
import { firstMessage, spawnTsWorker } from '../../shared/fixtures/spawnTsWorker.js';

const WINDOW_OPS = 8;
/** WAITING of VM 1 (its line starts at word 16). */
const WAITING_WORD = 16 + 2;

describe('waking a VM actor parked on its credit', () => {
  it('the VMM wakes it once a quarter window is left to consume, not before, and once', async () => {
    const credits = createCreditBuffer(1);
    const words = new Int32Array(credits);
    const ledger = new CreditLedger(credits, WINDOW_OPS);
    const worker = spawnTsWorker('../../actors/threads/fixtures/parkedVm.ts', { credits, windowOps: WINDOW_OPS });
    try {
      const answer = firstMessage<{ roomAfterPark: boolean; parks: number }>(worker);
      while (Atomics.load(words, WAITING_WORD) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
      // Half the window consumed and published: the actor's own concern, no wake from the VMM.
      for (let i = 0; i < WINDOW_OPS / 2; i++) ledger.consumed(1);
      ledger.flush();
      expect(ledger.wakes).toBe(0);
      expect(Atomics.load(words, WAITING_WORD)).toBe(1);
      // Six of eight consumed: two left, a quarter window: the VMM wakes it, once.
      for (let i = 0; i < WINDOW_OPS / 4; i++) ledger.consumed(1);
      ledger.flush();
      expect(ledger.wakes).toBe(1);
      expect(await answer).toEqual({ roomAfterPark: true, parks: 1 });
      for (let i = 0; i < WINDOW_OPS / 4; i++) ledger.consumed(1);
      ledger.flush();
      expect(ledger.wakes).toBe(1); // nobody parked any more
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
