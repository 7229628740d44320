/**
 * The IRQ sources the hardware (the PIC actor) has raised and the CPU (the VMM actor) has not
 * taken yet: one shared word, bit i = IRQ source i (the core's `vmm.sources[i]`).
 *
 *   [0]       RAISED     bit i: source i asserted     PIC: Atomics.or   VMM: Atomics.and
 *   [16 + i]  RAISES[i]  assertions of source i       PIC only (statistics)
 *
 * The VMM looks at RAISED at every preemption point, which is cheap (one load when nothing
 * was raised, the common case). It takes only the sources the core says are eligible there,
 * with one Atomics.and that clears exactly those bits, so a source raised meanwhile, or one
 * whose device still asserts its previous request, stays raised for a later point. Arrivals of
 * the same source before the CPU takes it collapse into one, as on a real edge-triggered line.
 * The PIC never wakes the VMM: the VMM parks only while waiting for a client op, and an
 * interrupt cannot be taken there anyway (the core takes them at preemption points only).
 */
const RAISED = 0;
const RAISES = 16;
/** Sources fit one Int32 mask. */
export const IRQ_SOURCES_MAX = 31;

export function createIrqBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer((RAISES + IRQ_SOURCES_MAX) * Int32Array.BYTES_PER_ELEMENT);
}

/** The PIC actor's side: the hardware asserting lines. */
export class IrqRaiser {
  private readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  raise(sourceMask: number): void {
    Atomics.or(this.words, RAISED, sourceMask);
    for (let i = 0; i < IRQ_SOURCES_MAX; i++) if ((sourceMask & (1 << i)) !== 0) Atomics.add(this.words, RAISES + i, 1);
  }

  raises(sources: number): number[] {
    return Array.from({ length: sources }, (_, i) => Atomics.load(this.words, RAISES + i) >>> 0);
  }
}

/** The VMM actor's side: the CPU looking at its interrupt lines. */
export class IrqTaker {
  private readonly words: Int32Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
  }

  /** Takes (clears) the raised sources among `eligible`, returns them. */
  take(eligible: number): number {
    if (Atomics.load(this.words, RAISED) === 0) return 0;
    return Atomics.and(this.words, RAISED, ~eligible) & eligible;
  }

  /** Something raised and not taken. */
  anyRaised(): boolean {
    return Atomics.load(this.words, RAISED) !== 0;
  }
}
