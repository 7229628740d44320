// Model-based test of the credit windows with batched publication: random sequences of the core
// consuming ops of random VMs, flushes, and VM actors asking for room, against plain counters.
// What must hold at every step: a VM actor never sees more credit than the core has used (the
// window bounds the VMM's buffers), it never sees less than a batch behind, and after a flush it
// sees exactly what was used (so an actor parked on its window is never left waiting).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CreditLedger, CreditWindow, PUBLISH_EVERY_OPS_MAX, createCreditBuffer, publishEveryOps } from '../../../src/actors/threads/credits.js';

const VM_IDS = 4;

const command = fc.oneof(
  fc.record({ kind: fc.constant('consume' as const), vmId: fc.integer({ min: 1, max: VM_IDS }), times: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('flush' as const) }),
  fc.record({ kind: fc.constant('push' as const), vmId: fc.integer({ min: 1, max: VM_IDS }) }),
);

describe('credit windows with batched publication', () => {
  it('publish no more than was consumed, lag less than a batch, and catch up on a flush', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 1024 }), fc.array(command, { maxLength: 80 }), (windowOps, commands) => {
        const buffer = createCreditBuffer(VM_IDS);
        const ledger = new CreditLedger(buffer, windowOps);
        const windows = Array.from({ length: VM_IDS + 1 }, (_, id) => new CreditWindow(buffer, Math.max(1, id), windowOps));
        const consumed = new Array<number>(VM_IDS + 1).fill(0);
        const pushed = new Array<number>(VM_IDS + 1).fill(0);
        const batch = publishEveryOps(windowOps);
        // A power of two (the ledger tests a mask), at most a quarter window and PUBLISH_EVERY_OPS_MAX.
        expect(batch & (batch - 1)).toBe(0);
        expect(batch).toBeLessThanOrEqual(Math.max(1, Math.min(PUBLISH_EVERY_OPS_MAX, windowOps / 4)));
        for (const c of commands) {
          if (c.kind === 'consume') {
            // The core consumes only ops that were pushed.
            const times = Math.min(c.times, pushed[c.vmId]! - consumed[c.vmId]!);
            for (let i = 0; i < times; i++) ledger.consumed(c.vmId);
            consumed[c.vmId]! += times;
          } else if (c.kind === 'flush') {
            ledger.flush();
            for (let id = 1; id <= VM_IDS; id++) expect(windows[id]!.consumed).toBe(consumed[id]);
          } else if (windows[c.vmId]!.hasRoom(pushed[c.vmId]!)) {
            pushed[c.vmId]!++;
          }
          for (let id = 1; id <= VM_IDS; id++) {
            const seen = windows[id]!.consumed;
            expect(seen).toBeLessThanOrEqual(consumed[id]!);
            expect(consumed[id]! - seen).toBeLessThan(batch);
            // The window bound: never more outstanding than windowOps.
            expect(pushed[id]! - consumed[id]!).toBeLessThanOrEqual(windowOps);
            expect(ledger.consumedCount(id)).toBe(consumed[id]);
          }
        }
      }),
      { seed: 0x15c4ed17, numRuns: 300 },
    );
  });

  it('has room again, after a flush, for an actor whose window the core emptied', () => {
    const buffer = createCreditBuffer(1);
    const ledger = new CreditLedger(buffer, 1024);
    const window = new CreditWindow(buffer, 1, 1024);
    let pushed = 0;
    while (window.hasRoom(pushed)) pushed++;
    expect(pushed).toBe(1024);
    for (let i = 0; i < 10; i++) ledger.consumed(1);
    expect(window.hasRoom(pushed)).toBe(false); // 10 < one batch of 64: not published yet
    ledger.flush();
    expect(window.park(pushed, 10_000)).toBe(true); // room: returns at once, no park
    expect(window.parks).toBe(0);
  });
});
