/**
 * Where the one CPU is, derived from the history alone (SPEC §7: "which the checker must derive
 * from the interrupt entry and exit records themselves, not from a context stamp the model
 * writes"). Ring-0 frames open and close on the records that bracket them: a trap (its client op
 * to `trapReturn`), a Hw_Int_Proc (`irqEnter` / `irqExit`), an event callback (`dispatch` /
 * `return`), a processing pass (`processBegin` / `processEnd`), a VPICD procedure, a
 * System_Control message, and the VM's
 * own code run inside ring 0 by Resume_Exec. An interrupt that arrives while a ring-0 frame is
 * innermost has interrupted the VMM: the re-enter count is the number of such open interrupts.
 * The current VM follows the task-switch records.
 *
 * The rules read this state as it was when a record was made; the checker updates it after.
 */
import type { HistoryRecord } from '../history.js';
import type { Violation } from './checker.js';

type Report = (v: Omit<Violation, 'severity'>) => void;

export type FrameKind = 'trap' | 'hwint' | 'callback' | 'process' | 'proc' | 'control' | 'vmCode';

interface Frame {
  kind: FrameKind;
  /** For a Hw_Int_Proc: its IRQ, and whether it interrupted ring-0 code. */
  irq: number;
  nested: boolean;
}

export class CpuTracker {
  private readonly frames: Frame[] = [];
  /** The re-enter count: open interrupts that interrupted ring-0 code. */
  reenter = 0;
  /** Open Hw_Int_Procs, at any re-enter count. */
  hwIntDepth = 0;
  /** The current VM's id. */
  current = 1;

  /** Ring-0 code is running (the innermost frame is not the VM's own code). */
  get inRing0(): boolean {
    const top = this.frames[this.frames.length - 1];
    return top !== undefined && top.kind !== 'vmCode';
  }

  /** SPEC §1: inside a Hw_Int_Proc, or with the re-enter count above zero. */
  get atInterruptTime(): boolean {
    return this.hwIntDepth > 0 || this.reenter > 0;
  }

  /** IRQs whose Hw_Int_Proc is running now. */
  inHandlerOf(irq: number): boolean {
    return this.frames.some((f) => f.kind === 'hwint' && f.irq === irq);
  }

  update(r: HistoryRecord, report: Report): void {
    switch (r.k) {
      case 'clientOp':
        if (this.frames.length > 0) {
          report({ seq: r.seq, ticks: r.ticks, kind: 'clientCodeInRing0', message: `the VM's code ran with ring-0 frames open (${this.frames.map((f) => f.kind).join(', ')})` });
          while (this.frames.length > 0) this.pop(this.frames[this.frames.length - 1]!.kind, r, report);
        }
        if (r.op.op === 'trap') this.push('trap');
        return;
      case 'trapReturn': this.pop('trap', r, report); return;
      case 'irqEnter': {
        const nested = this.inRing0;
        if (nested !== r.nested) report({ seq: r.seq, ticks: r.ticks, kind: 'nestedMismatch', message: `IRQ ${r.irq} recorded as ${r.nested ? '' : 'not '}nested, but ${nested ? 'ring-0 code' : 'a VM'} was running` });
        this.frames.push({ kind: 'hwint', irq: r.irq, nested });
        this.hwIntDepth++;
        if (nested) this.reenter++;
        return;
      }
      case 'irqExit': this.pop('hwint', r, report); return;
      case 'dispatch': this.push('callback'); return;
      case 'return': this.pop('callback', r, report); return;
      case 'processBegin': this.push('process'); return;
      case 'processEnd': this.pop('process', r, report); return;
      case 'vpicdProc':
        if (r.phase === 'enter') this.push('proc');
        else this.pop('proc', r, report);
        return;
      case 'control':
        if (r.phase === 'enter') this.push('control');
        else this.pop('control', r, report);
        return;
      case 'nestedExec':
        if (r.phase === 'enter') this.push('vmCode');
        else this.pop('vmCode', r, report);
        return;
      case 'taskSwitch': this.current = r.to; return;
      default: return;
    }
  }

  private push(kind: FrameKind): void {
    this.frames.push({ kind, irq: -1, nested: false });
  }

  /** Closes the innermost frame of `kind`; frames left open inside it are a broken nesting. */
  private pop(kind: FrameKind, r: HistoryRecord, report: Report): void {
    let top = this.frames.pop();
    while (top !== undefined && top.kind !== kind) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'unbalancedFrames', message: `${r.k} closed a ${kind} frame while a ${top.kind} frame inside it was still open` });
      this.closed(top);
      top = this.frames.pop();
    }
    if (top === undefined) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'unbalancedFrames', message: `${r.k} closed a ${kind} frame that was never opened` });
      return;
    }
    this.closed(top);
  }

  private closed(frame: Frame): void {
    if (frame.kind !== 'hwint') return;
    this.hwIntDepth--;
    if (frame.nested) this.reenter--;
  }
}
