// The IRQ word's raise stamps (irqLines.ts): the latency figure starts when an IRQ could interrupt,
// and it cannot before its bit is set. A raise whose bit was set more than RESTAMP_AFTER_US after
// its stamp (the PIC thread lost its CPU in between) is stamped again with the later time, unless
// the CPU already took it; a prompt raise keeps its first stamp; a source raised again before it
// was taken keeps the stamp of the assertion it collapsed into.
import { describe, expect, it } from 'vitest';
import { createIrqBuffer, IrqRaiser, IrqTaker, RESTAMP_AFTER_US } from '../../../src/actors/threads/irqLines.js';

/** A clock that returns these times in turn, running `between` (if any) before the second. */
function clock(times: number[], between?: () => void): () => number {
  let next = 0;
  return () => {
    if (next === 1) between?.();
    return times[next++]!;
  };
}

describe('IRQ raise stamps', () => {
  it('keeps the stamp of a prompt raise', () => {
    const buffer = createIrqBuffer();
    new IrqRaiser(buffer, clock([1000, 1000 + RESTAMP_AFTER_US])).raise(0b1);
    const taker = new IrqTaker(buffer);
    expect(taker.take(0b1)).toBe(0b1);
    expect(taker.raisedAt(0)).toBe(1000);
  });

  it('stamps again a raise whose bit was set late, the sources not yet taken only', () => {
    const buffer = createIrqBuffer();
    const taker = new IrqTaker(buffer);
    // Source 0 is taken between the bit and the second clock read; source 1 is not.
    new IrqRaiser(buffer, clock([1000, 9000], () => taker.take(0b01))).raise(0b11);
    expect(taker.raisedAt(0)).toBe(1000);
    expect(taker.take(0b10)).toBe(0b10);
    expect(taker.raisedAt(1)).toBe(9000);
  });

  it('leaves a source that was still raised with the stamp of its first assertion', () => {
    const buffer = createIrqBuffer();
    const taker = new IrqTaker(buffer);
    new IrqRaiser(buffer, clock([1000, 1001])).raise(0b1);
    new IrqRaiser(buffer, clock([5000, 9000])).raise(0b1);
    expect(taker.take(0b1)).toBe(0b1);
    expect(taker.raisedAt(0)).toBe(1000);
  });
});
