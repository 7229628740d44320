// The two cascaded 8259A PICs (SPEC §6): "fixed priority 0, 1, (8-15), 3-7; end of interrupt (EOI)".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CASCADE_IRQ, highestIrq, Pic, PRIORITY_ORDER } from '../../src/vmm/pic.js';

const LINES = [0, 1, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15];

/** Takes every pending IRQ one at a time (acknowledge, then EOI) and returns the order. */
function drain(pic: Pic): number[] {
  const order: number[] = [];
  for (let irq = pic.pending(); irq >= 0; irq = pic.pending()) {
    pic.acknowledge(irq);
    order.push(irq);
    pic.eoi(irq);
  }
  return order;
}

describe('Pic', () => {
  it('highestIrq: the first IRQ of "fixed priority 0, 1, (8-15), 3-7" in the mask, for every 16-bit mask', () => {
    for (let mask = 0; mask < 0x10000; mask++) {
      const expected = PRIORITY_ORDER.find((irq) => (mask & (1 << irq)) !== 0) ?? -1;
      if (highestIrq(mask) !== expected) expect(highestIrq(mask), `mask 0x${mask.toString(16)}`).toBe(expected);
    }
    expect(highestIrq(1 << CASCADE_IRQ)).toBe(-1);
  });

  it('"fixed priority 0, 1, (8-15), 3-7"', () => {
    expect(PRIORITY_ORDER).toEqual([0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7]);
    const pic = new Pic();
    for (const irq of [...LINES].reverse()) pic.raise(irq);
    expect(drain(pic)).toEqual(PRIORITY_ORDER);
  });

  it('the slave (8-15) ranks between IRQ 1 and IRQ 3, because it sits on the master\'s IRQ 2', () => {
    const pic = new Pic();
    pic.raise(3);
    pic.raise(15);
    expect(pic.pending()).toBe(15);
    pic.raise(1);
    expect(pic.pending()).toBe(1);
  });

  it('VPICD_Phys_EOI: "An interrupt that is physically in service will not suppress interrupts to lower priority IRQs since VPICD does not prioritize hardware interrupts": only the line itself waits for its EOI', () => {
    const pic = new Pic();
    pic.raise(8);
    pic.acknowledge(8);
    pic.raise(8); // the same line again: waits for its EOI
    expect(pic.pending()).toBe(-1);
    pic.raise(3); // lower: presented at once
    expect(pic.pending()).toBe(3);
    pic.raise(9); // lower than 8 but above 3
    expect(pic.pending()).toBe(9);
    pic.acknowledge(9);
    expect(pic.pending()).toBe(3);
    pic.acknowledge(3);
    expect(pic.pending()).toBe(-1); // 8 is still in service: its new request waits
    pic.eoi(8);
    expect(pic.pending()).toBe(8);
  });

  it('a slave IRQ keeps the cascade line in service until the slave is idle', () => {
    const pic = new Pic();
    pic.raise(12);
    pic.acknowledge(12);
    expect(pic.inService(CASCADE_IRQ)).toBe(true);
    pic.raise(10);
    pic.acknowledge(10); // (as if nested: 10 outranks 12)
    pic.eoi(10);
    expect(pic.inService(CASCADE_IRQ)).toBe(true);
    pic.eoi(12);
    expect(pic.inService(CASCADE_IRQ)).toBe(false);
  });

  it('masked lines (IMR) and the cascade line itself are never presented', () => {
    const pic = new Pic();
    pic.raise(CASCADE_IRQ);
    expect(pic.pending()).toBe(-1);
    pic.setMasked(4, true);
    pic.raise(4);
    expect(pic.pending()).toBe(-1);
    pic.setMasked(4, false);
    expect(pic.pending()).toBe(4);
  });

  it('property: what the PIC presents is not in service and is the best request not in service', () => {
    const action = fc.oneof(
      fc.record({ op: fc.constant('raise' as const), irq: fc.constantFrom(...LINES) }),
      fc.record({ op: fc.constant('take' as const) }),
      fc.record({ op: fc.constant('eoi' as const), irq: fc.constantFrom(...LINES) }),
    );
    fc.assert(fc.property(fc.array(action, { maxLength: 60 }), (actions) => {
      const pic = new Pic();
      const rank = (irq: number) => PRIORITY_ORDER.indexOf(irq);
      for (const a of actions) {
        if (a.op === 'raise') pic.raise(a.irq);
        else if (a.op === 'eoi') pic.eoi(a.irq);
        else {
          const irq = pic.pending();
          if (irq < 0) continue;
          const waiting = LINES.filter((l) => (pic.irr & (1 << l)) !== 0 && !pic.inService(l));
          expect(pic.inService(irq)).toBe(false);
          expect(waiting.every((l) => rank(irq) <= rank(l))).toBe(true);
          pic.acknowledge(irq);
        }
      }
    }));
  });
});
