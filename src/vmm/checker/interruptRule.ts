/**
 * Interrupts (SPEC §6, §7), from the interrupt entry and exit records themselves:
 * - "between a Hw_Int_Proc's entry and its return there is no processing pass, no dispatch of a
 *   scheduled event and no task switch (only nested interrupts, and callbacks that a
 *   Call_XX_Event runs inline at re-enter count 0)", and no nested execution (SPEC §1: "no
 *   nested execution, and so no event processing, ever happens inside a hardware-interrupt
 *   handler");
 * - no task switch while the re-enter count is above zero either;
 * - a Hw_Int_Proc of an IRQ is never re-entered before its Phys_EOI (VPICD_Phys_EOI "allows
 *   further hardware interrupts from the specified IRQ");
 * - an IRQ is never entered while it is masked on the physical PIC (VPICD_Physically_Mask "masks
 *   the specified IRQ on the hardware PIC"; the mask is read from the `physMask` records).
 */
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';
import type { CpuTracker } from './cpuTracker.js';

export class InterruptRule {
  /** IRQs entered and not yet physically EOI'd (bit n = IRQ n). */
  private physInService = 0;
  /** IRQs masked on the physical PIC (bit n = IRQ n). */
  private physMasked = 0;

  constructor(private readonly cpu: CpuTracker) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.physInService = this.physMasked = 0;
  }

  irqEnter(r: RecordOf<'irqEnter'>, report: Report): void {
    if (this.physInService & (1 << r.irq)) irqReenteredBeforeEoi(r, report);
    if (this.physMasked & (1 << r.irq)) irqWhileMasked(r, report);
    this.physInService |= 1 << r.irq;
  }

  physMask(r: RecordOf<'physMask'>): void {
    this.physMasked = r.masked ? this.physMasked | (1 << r.irq) : this.physMasked & ~(1 << r.irq);
  }

  eoi(r: RecordOf<'eoi'>): void {
    this.physInService &= ~(1 << r.irq);
  }

  processBegin(r: RecordOf<'processBegin'>, report: Report): void {
    if (this.cpu.hwIntDepth > 0 || this.cpu.reenter > 0) processingInInterrupt(r, report);
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (!r.inline && this.cpu.hwIntDepth > 0) dispatchInInterrupt(r, report);
  }

  taskSwitch(r: RecordOf<'taskSwitch'>, report: Report): void {
    if (this.cpu.atInterruptTime) report({ seq: r.seq, ticks: r.ticks, kind: 'taskSwitchInInterrupt', message: `task switch ${r.from}→${r.to} at interrupt time` });
  }

  nestedExec(r: RecordOf<'nestedExec'>, report: Report): void {
    if (r.phase === 'enter' && this.cpu.atInterruptTime) report({ seq: r.seq, ticks: r.ticks, kind: 'nestedExecInInterrupt', message: 'nested execution at interrupt time' });
  }
}

// The reports of the common records, out of line: a report's object and message are most of a
// rule's bytecode, and the compiler inlines a rule's method only while the caller's inlined
// bytecode stays within its budget (checker.ts), so the checks stay inline and the reports are calls.

function irqReenteredBeforeEoi(r: RecordOf<'irqEnter'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'irqReenteredBeforeEoi', message: `IRQ ${r.irq} interrupted again before its VPICD_Phys_EOI` });
}

function irqWhileMasked(r: RecordOf<'irqEnter'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'irqWhileMasked', message: `IRQ ${r.irq} entered while masked on the physical PIC (VPICD_Physically_Mask)` });
}

function processingInInterrupt(r: RecordOf<'processBegin'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'processingInInterrupt', message: 'an event-processing pass began inside a hardware-interrupt handler' });
}

function dispatchInInterrupt(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'dispatchInInterrupt', handle: r.handle, message: `scheduled event ${r.callback} (0x${r.handle.toString(16)}) dispatched inside a Hw_Int_Proc` });
}
