/**
 * The IRQ sources the hardware (the PIC actor) has raised and the CPU (the VMM actor) has not
 * taken yet: one shared word, bit i = IRQ source i (the core's `vmm.sources[i]`).
 *
 *   Int32 words                                                         who writes
 *   [0]       RAISED       bit i: source i asserted     PIC: Atomics.or   VMM: Atomics.and
 *   [16 + i]  RAISES[i]    assertions of source i       PIC only (statistics)
 *   Float64 words, from byte 256 (8-aligned)
 *   [32 + i]  RAISED_AT[i] wall-clock µs (timeOrigin-based, comparable across threads) of the
 *                          assertion that set bit i      PIC only (latency measurement)
 *
 * The VMM looks at RAISED at every preemption point, which is cheap (one load when nothing
 * was raised, the common case). It takes only the sources the core says are eligible there,
 * with one Atomics.and that clears exactly those bits, so a source raised meanwhile, or one
 * whose device still asserts its previous request, stays raised for a later point. Arrivals of
 * the same source before the CPU takes it collapse into one, as on a real edge-triggered line.
 * The VMM parks only while it waits for the current VM's next op, and there the step ends when
 * an IRQ is raised (ThreadChoices.clientStillRunning) so that the next step takes it: the PIC
 * wakes a VMM parked there (ConsumerWaker on the op queue) right after it sets the bit.
 */
const RAISED = 0;
const RAISES = 16;
/** Sources fit one Int32 mask. */
export const IRQ_SOURCES_MAX = 31;
/** Float64 index of RAISED_AT[0]: byte 256, past the Int32 words. */
const RAISED_AT = 32;

export function createIrqBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer((RAISED_AT + IRQ_SOURCES_MAX) * Float64Array.BYTES_PER_ELEMENT);
}

/**
 * This thread's time origin in wall-clock µs, read once: the getter allocates a number per call,
 * and the VMM reads the clock twice per latency sample.
 */
const TIME_ORIGIN_US = performance.timeOrigin * 1000;

/** Wall-clock microseconds on a clock every thread shares (performance.now is per thread). */
export function wallClockUs(): number {
  return TIME_ORIGIN_US + performance.now() * 1000;
}

/** The same clock at a performance.now() reading of this thread (ms). */
export function wallClockUsAt(performanceNowMs: number): number {
  return TIME_ORIGIN_US + performanceNowMs * 1000;
}

/** The PIC actor's side: the hardware asserting lines. */
export class IrqRaiser {
  private readonly words: Int32Array;
  private readonly raisedAtUs: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.raisedAtUs = new Float64Array(buffer);
  }

  raise(sourceMask: number): void {
    // The time goes in first: a VMM that sees the bit finds the time of this assertion (or of
    // the one it collapsed into, when the bit was still set).
    const nowUs = wallClockUs();
    const already = Atomics.load(this.words, RAISED);
    for (let i = 0; i < IRQ_SOURCES_MAX; i++) if ((sourceMask & ~already & (1 << i)) !== 0) this.raisedAtUs[RAISED_AT + i] = nowUs;
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
  private readonly raisedAtUs: Float64Array;

  constructor(buffer: SharedArrayBuffer) {
    this.words = new Int32Array(buffer);
    this.raisedAtUs = new Float64Array(buffer);
  }

  /** When source i's pending assertion was raised (read right after take() returned it). */
  raisedAt(source: number): number {
    return this.raisedAtUs[RAISED_AT + source]!;
  }

  /** Takes (clears) the raised sources among `eligible`, returns them. */
  take(eligible: number): number {
    if (Atomics.load(this.words, RAISED) === 0) return 0;
    return Atomics.and(this.words, RAISED, ~eligible) & eligible;
  }

  /** The raised sources not among `eligible`: raised, but the CPU cannot take them yet. */
  heldBack(eligible: number): number {
    return Atomics.load(this.words, RAISED) & ~eligible;
  }

  /** Something raised and not taken. */
  anyRaised(): boolean {
    return Atomics.load(this.words, RAISED) !== 0;
  }

  /** Something raised and not taken among these sources (the ones the CPU could take now). */
  anyRaisedAmong(sources: number): boolean {
    return (Atomics.load(this.words, RAISED) & sources) !== 0;
  }
}
