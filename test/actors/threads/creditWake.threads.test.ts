// The VMM's side of a parked VM actor: it wakes the actor (Atomics.notify, which V8 serializes
// with every wait of the process) only once that VM's ops are about to run out, a quarter window
// left, not as soon as half the window is free: between the two the actor looks by itself.
// No timing assertions: the fixture parks for ten minutes, so only the wake can end it in time.
import { describe, expect, it } from 'vitest';
import { CreditLedger, createCreditBuffer } from '../../../src/actors/threads/credits.js';
import { firstMessage, spawnTsWorker } from '../../shared/fixtures/spawnTsWorker.js';

const WINDOW_OPS = 8;
/** WAITING and PARKS of VM 1 (its line starts at word 16). */
const WAITING_WORD = 16 + 2;
const PARKS_WORD = 16 + 3;

/** Resolves once the actor is in its `park`-th park. */
async function parked(words: Int32Array, park: number): Promise<void> {
  while (Atomics.load(words, PARKS_WORD) !== park || Atomics.load(words, WAITING_WORD) === 0) await new Promise((resolve) => setTimeout(resolve, 5));
}

function consume(ledger: CreditLedger, ops: number): void {
  for (let i = 0; i < ops; i++) ledger.consumed(1);
  ledger.flush();
}

/**
 * One parked actor: false when it left by itself at half the window (its own poll, no wake to
 * judge); else the wake is judged: none before a quarter window is left, then exactly one.
 */
async function wakeOnceAtQuarter(): Promise<boolean> {
  const credits = createCreditBuffer(1);
  const words = new Int32Array(credits);
  const ledger = new CreditLedger(credits, WINDOW_OPS);
  const worker = spawnTsWorker('../../actors/threads/fixtures/parkedVm.ts', { credits, windowOps: WINDOW_OPS });
  try {
    const answer = firstMessage<{ roomAfterPark: boolean; parks: number }>(worker);
    await parked(words, 1);
    // Between WAITING = 1 and its Atomics.wait the actor still reads CONSUMED: three ops first
    // leave more than half to consume, so it stays parked whenever it looks.
    consume(ledger, 3);
    expect(ledger.wakes).toBe(0);
    expect(Atomics.load(words, WAITING_WORD)).toBe(1);
    // Half the window consumed and published: the actor's own concern, no wake from the VMM.
    consume(ledger, 1);
    expect(ledger.wakes).toBe(0);
    if (Atomics.load(words, WAITING_WORD) === 0) {
      expect(await answer).toEqual({ roomAfterPark: true, parks: 1 }); // it left by itself, with room
      return false;
    }
    // Six of eight consumed: two left, a quarter window: the VMM wakes it, once.
    for (let i = 0; i < WINDOW_OPS / 4; i++) ledger.consumed(1);
    ledger.flush();
    if (ledger.wakes === 0 && Atomics.load(words, WAITING_WORD) === 0) {
      // It left by itself between the check above and this flush: nothing to judge either.
      expect(await answer).toEqual({ roomAfterPark: true, parks: 1 });
      return false;
    }
    expect(ledger.wakes).toBe(1);
    expect(await answer).toEqual({ roomAfterPark: true, parks: 1 });
    for (let i = 0; i < WINDOW_OPS / 4; i++) ledger.consumed(1);
    ledger.flush();
    expect(ledger.wakes).toBe(1); // nobody parked any more
    return true;
  } finally {
    await worker.terminate();
  }
}

describe('waking a VM actor parked on its credit', () => {
  it('the VMM wakes it once a quarter window is left to consume, not before, and once', async () => {
    // An actor still between WAITING = 1 and its Atomics.wait when half the window is consumed
    // reads it and rightly leaves by itself (a CI run met that on a loaded machine): then this
    // park says nothing of the wake, and a new actor parks again. One that stays parked is judged.
    let judged = false;
    for (let attempt = 0; attempt < 5 && !judged; attempt++) judged = await wakeOnceAtQuarter();
    expect(judged).toBe(true);
  }, 120_000);

  it('an actor whose ops were consumed before comes back by itself once half its window is free, without a wake', async () => {
    const credits = createCreditBuffer(1);
    const words = new Int32Array(credits);
    const ledger = new CreditLedger(credits, WINDOW_OPS);
    const worker = spawnTsWorker('../../actors/threads/fixtures/cyclingVm.ts', { credits, windowOps: WINDOW_OPS });
    const messages: { park: number; room: boolean; pushed: number }[] = [];
    const arrived = (count: number): Promise<void> => new Promise((resolve) => {
      const check = (): void => void (messages.length >= count ? resolve() : setTimeout(check, 5));
      check();
    });
    worker.on('message', (message: { park: number; room: boolean; pushed: number }) => messages.push(message));
    try {
      // Two parks ended by the VMM's wake (a quarter window left): the actor learns how fast its ops go.
      // Three ops first, as above: an actor still before its Atomics.wait stays parked.
      await parked(words, 1);
      consume(ledger, 3);
      consume(ledger, 3);
      await arrived(1);
      await parked(words, 2);
      consume(ledger, 3);
      consume(ledger, 3);
      await arrived(2);
      expect(ledger.wakes).toBe(2);
      // The third: half the window consumed, not a quarter left: no wake, the actor's own poll ends it.
      await parked(words, 3);
      consume(ledger, WINDOW_OPS / 2);
      await arrived(3);
      expect(ledger.wakes).toBe(2);
      expect(messages).toEqual([
        { park: 1, room: true, pushed: 8 },
        { park: 2, room: true, pushed: 14 },
        { park: 3, room: true, pushed: 20 },
      ]);
    } finally {
      await worker.terminate();
    }
  }, 60_000);
});
