/**
 * Interrupts (SPEC §6, §7), from the interrupt entry and exit records themselves:
 * - "between a Hw_Int_Proc's entry and its return there is no processing pass, no dispatch of a
 *   scheduled event and no task switch (only nested interrupts, and callbacks that a
 *   Call_XX_Event runs inline at re-enter count 0)", and no nested execution (SPEC §1: "no
 *   nested execution, and so no event processing, ever happens inside a hardware-interrupt
 *   handler");
 * - no task switch while the re-enter count is above zero either;
 * - a Hw_Int_Proc of an IRQ is never re-entered before its Phys_EOI (VPICD_Phys_EOI "allows
 *   further hardware interrupts from the specified IRQ").
 */
import type { HistoryKind, HistoryRecord } from '../history.js';
import type { Rule, Violation } from './checker.js';
import type { CpuTracker } from './cpuTracker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

export class InterruptRule implements Rule {
  readonly kinds: readonly HistoryKind[] = ['irqEnter', 'eoi', 'processBegin', 'dispatch', 'taskSwitch', 'nestedExec'];
  /** IRQs entered and not yet physically EOI'd (bit n = IRQ n). */
  private physInService = 0;

  constructor(private readonly cpu: CpuTracker) {}

  onRecord(r: HistoryRecord, report: Report): void {
    const at = { seq: r.seq, ticks: r.ticks };
    const inHandler = this.cpu.hwIntDepth > 0;
    switch (r.k) {
      case 'irqEnter':
        if (this.physInService & (1 << r.irq)) {
          report({ ...at, kind: 'irqReenteredBeforeEoi', message: `IRQ ${r.irq} interrupted again before its VPICD_Phys_EOI` });
        }
        this.physInService |= 1 << r.irq;
        return;
      case 'eoi':
        this.physInService &= ~(1 << r.irq);
        return;
      case 'processBegin':
        if (inHandler || this.cpu.reenter > 0) report({ ...at, kind: 'processingInInterrupt', message: 'an event-processing pass began inside a hardware-interrupt handler' });
        return;
      case 'dispatch':
        if (!r.inline && inHandler) report({ ...at, kind: 'dispatchInInterrupt', handle: r.handle, message: `scheduled event ${r.callback} (0x${r.handle.toString(16)}) dispatched inside a Hw_Int_Proc` });
        return;
      case 'taskSwitch':
        if (this.cpu.atInterruptTime) report({ ...at, kind: 'taskSwitchInInterrupt', message: `task switch ${r.from}→${r.to} at interrupt time` });
        return;
      case 'nestedExec':
        if (r.phase === 'enter' && this.cpu.atInterruptTime) report({ ...at, kind: 'nestedExecInInterrupt', message: 'nested execution at interrupt time' });
        return;
      default:
        return;
    }
  }
}
