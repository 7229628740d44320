/**
 * Two cascaded 8259A programmable interrupt controllers (SPEC §6): IRQ 0-15, the slave on the
 * master's IRQ 2. Fixed priority 0, 1, (8-15), 3-7 decides among simultaneous requests.
 * Edge-triggered: raising a line sets its request bit; acknowledging moves it to in-service; a
 * specific EOI (VPICD_Phys_EOI) clears in-service.
 *
 * As VPICD programs them, an IRQ in service holds back only itself: VPICD_Phys_EOI, "An
 * interrupt that is physically in service will not suppress interrupts to lower priority IRQs
 * since VPICD does not prioritize hardware interrupts."
 *
 * The three registers are kept as 16-bit masks over both chips (bit n = IRQ n).
 */
export const PRIORITY_ORDER: readonly number[] = [0, 1, 8, 9, 10, 11, 12, 13, 14, 15, 3, 4, 5, 6, 7];
const RANK: readonly number[] = (() => {
  const rank = Array.from({ length: 16 }, () => 99);
  PRIORITY_ORDER.forEach((irq, i) => (rank[irq] = i));
  return rank;
})();

/** An IRQ's place in the fixed priority order (0 = highest; 99 for the cascade line and for -1, none). */
export function irqRank(irq: number): number {
  // -1 checked first: reading RANK[-1] would look up a property named "-1", off the array's fast path.
  return irq >= 0 && irq < 16 ? RANK[irq]! : 99;
}

/** PRIORITY_ORDER as three ranges of IRQs, each in ascending order: 0-1, the slave's 8-15, 3-7. */
const PRIORITY_RANGES: readonly number[] = [0x0003, 0xff00, 0x00f8];

/** The highest-priority IRQ of a mask (bit n = IRQ n), or -1. */
export function highestIrq(mask: number): number {
  if (mask === 0) return -1; // the common case: nothing requested, nothing in service
  // The lowest set bit of the first range that has one.
  for (let i = 0; i < PRIORITY_RANGES.length; i++) {
    const bits = mask & PRIORITY_RANGES[i]!;
    if (bits !== 0) return 31 - Math.clz32(bits & -bits);
  }
  return -1;
}

export const CASCADE_IRQ = 2;

export class Pic {
  irr = 0;
  isr = 0;
  imr = 0;

  raise(irq: number): void {
    this.irr |= 1 << irq;
  }

  lower(irq: number): void {
    this.irr &= ~(1 << irq);
  }

  setMasked(irq: number, masked: boolean): void {
    this.imr = masked ? this.imr | (1 << irq) : this.imr & ~(1 << irq);
  }

  /**
   * The IRQ the PIC would present to the CPU now, or -1: requested, unmasked, not itself in
   * service (it waits for its own EOI), and the highest-priority such request.
   */
  pending(): number {
    return highestIrq(this.irr & ~this.imr & ~this.isr & ~(1 << CASCADE_IRQ));
  }

  /** The CPU's interrupt acknowledge: request → in service. */
  acknowledge(irq: number): void {
    this.irr &= ~(1 << irq);
    this.isr |= 1 << irq;
    // A slave IRQ is also in service on the master's cascade line until both get their EOI.
    if (irq >= 8) this.isr |= 1 << CASCADE_IRQ;
  }

  /** Specific EOI; for a slave IRQ it also ends the cascade line once the slave is idle. */
  eoi(irq: number): void {
    this.isr &= ~(1 << irq);
    if (irq >= 8 && (this.isr & 0xff00) === 0) this.isr &= ~(1 << CASCADE_IRQ);
  }

  inService(irq: number): boolean {
    return (this.isr & (1 << irq)) !== 0;
  }
}
