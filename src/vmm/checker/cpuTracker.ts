/**
 * Where the one CPU is, derived from the history alone (SPEC §7: "which the checker must derive
 * from the interrupt entry and exit records themselves, not from a context stamp the model
 * writes"). Ring-0 frames open and close on the records that bracket them: a trap (its client op
 * to `trapReturn`), a Hw_Int_Proc (`irqEnter` / `irqExit`), an event callback (`dispatch` /
 * `return`), a processing pass (`processBegin` / `processEnd`), a VPICD procedure, a
 * System_Control message (a callback that blocks leaves at its `blockedCallback` block and comes
 * back at its restart), and the VM's
 * own code run inside ring 0 by Resume_Exec. An interrupt that arrives while a ring-0 frame is
 * innermost has interrupted the VMM: the re-enter count is the number of such open interrupts.
 * The current VM follows the task-switch records.
 *
 * The rules read this state as it was when a record was made; the checker moves it on after,
 * calling the method named after the record's kind. Frames are small integers on a number
 * stack (a frame kind, plus NESTED for a Hw_Int_Proc that interrupted ring-0 code): opening and
 * closing one allocates nothing, and the stack stays plain data a snapshot copies.
 */
import type { ClientOp } from '../clientOps.js';
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';

const TRAP = 0;
const HWINT = 1;
const CALLBACK = 2;
const PROCESS = 3;
const PROC = 4;
const CONTROL = 5;
const VM_CODE = 6;
/** The frame kinds' names, for messages; indexed by the constants above. */
const FRAME_NAMES = ['trap', 'hwint', 'callback', 'process', 'proc', 'control', 'vmCode'] as const;
export type FrameKind = (typeof FRAME_NAMES)[number];
/** Set on a Hw_Int_Proc frame that interrupted ring-0 code (it counts in the re-enter count). */
const NESTED = 8;
const KIND_MASK = 7;

type Phased = { seq: number; ticks: number; k: string; phase: 'enter' | 'exit' };
type Closing = { seq: number; ticks: number; k: string };

export class CpuTracker {
  /** Open frames, innermost last: a kind, | NESTED for an interrupt that interrupted ring 0. */
  private readonly frames: number[] = [];
  /** The re-enter count: open interrupts that interrupted ring-0 code. */
  reenter = 0;
  /** Open Hw_Int_Procs, at any re-enter count. */
  hwIntDepth = 0;
  /** The current VM's id. */
  current = 1;

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    // Popped, not truncated: setting a length is a runtime call that gives the storage up.
    const frames = this.frames;
    while (frames.length !== 0) frames.pop();
    this.reenter = this.hwIntDepth = 0;
    this.current = 1;
  }

  /** Ring-0 code is running (the innermost frame is not the VM's own code). */
  get inRing0(): boolean {
    const n = this.frames.length;
    return n > 0 && (this.frames[n - 1]! & KIND_MASK) !== VM_CODE;
  }

  /** SPEC §1: inside a Hw_Int_Proc, or with the re-enter count above zero. */
  get atInterruptTime(): boolean {
    return this.hwIntDepth > 0 || this.reenter > 0;
  }

  clientOp(r: RecordOf<'clientOp'>, op: ClientOp['op'], report: Report): void {
    if (this.frames.length > 0) this.ring0FramesOpen(r, report);
    if (op === 'trap') this.frames.push(TRAP);
  }

  /** The VM's code ran inside ring-0 frames: reported, and they are closed. */
  private ring0FramesOpen(r: RecordOf<'clientOp'>, report: Report): void {
    const frames = this.frames;
    report({ seq: r.seq, ticks: r.ticks, kind: 'clientCodeInRing0', message: `the VM's code ran with ring-0 frames open (${frames.map((f) => FRAME_NAMES[f & KIND_MASK]).join(', ')})` });
    while (frames.length > 0) this.closed(frames.pop()!);
  }

  trapReturn(r: Closing, report: Report): void {
    this.pop(TRAP, r, report);
  }

  irqEnter(r: RecordOf<'irqEnter'>, report: Report): void {
    const nested = this.inRing0;
    if (nested !== r.nested) nestedMismatch(r, nested, report);
    this.frames.push(nested ? HWINT | NESTED : HWINT);
    this.hwIntDepth++;
    if (nested) this.reenter++;
  }

  irqExit(r: Closing, report: Report): void {
    this.pop(HWINT, r, report);
  }

  dispatch(): void {
    this.frames.push(CALLBACK);
  }

  return(r: Closing, report: Report): void {
    this.pop(CALLBACK, r, report);
  }

  /** A callback that blocked has left, as by a return; its restart enters it again. */
  callbackBlocked(r: Closing, report: Report): void {
    this.pop(CALLBACK, r, report);
  }

  callbackRestart(): void {
    this.frames.push(CALLBACK);
  }

  processBegin(): void {
    this.frames.push(PROCESS);
  }

  processEnd(r: Closing, report: Report): void {
    this.pop(PROCESS, r, report);
  }

  vpicdProc(r: Phased, report: Report): void {
    this.phased(PROC, r, report);
  }

  control(r: Phased, report: Report): void {
    this.phased(CONTROL, r, report);
  }

  nestedExec(r: Phased, report: Report): void {
    this.phased(VM_CODE, r, report);
  }

  /**
   * README, "Task switches during nested execution": none, the VM keeps the CPU until its nested
   * execution ends. A switch while the VM's code runs inside Resume_Exec would run the rest of
   * the VxD's procedure (End_Nest_Exec included) in another VM.
   */
  taskSwitch(r: RecordOf<'taskSwitch'>, report: Report): void {
    this.current = r.to;
    const frames = this.frames;
    for (let i = 0; i < frames.length; i++) {
      if ((frames[i]! & KIND_MASK) === VM_CODE) return switchInNestedExec(r, report);
    }
  }

  private phased(kind: number, r: Phased, report: Report): void {
    if (r.phase === 'enter') this.frames.push(kind);
    else this.pop(kind, r, report);
  }

  /** Closes the innermost frame of `kind`; frames left open inside it are a broken nesting. */
  private pop(kind: number, r: Closing, report: Report): void {
    const frames = this.frames;
    while (frames.length > 0) {
      const top = frames.pop()!;
      this.closed(top);
      if ((top & KIND_MASK) === kind) return;
      innerFrameOpen(r, kind, top, report);
    }
    frameNeverOpened(r, kind, report);
  }

  private closed(frame: number): void {
    if ((frame & KIND_MASK) !== HWINT) return;
    this.hwIntDepth--;
    if ((frame & NESTED) !== 0) this.reenter--;
  }
}

// The reports of the frame records, out of line: a report's object and message are most of a
// method's bytecode, and the compiler inlines a method only while the caller's inlined bytecode
// stays within its budget (checker.ts), so the bookkeeping stays inline and the reports are calls.

function switchInNestedExec(r: RecordOf<'taskSwitch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'taskSwitchInNestedExec', message: `task switch from VM ${r.from} to VM ${r.to} while VM ${r.from}'s code ran inside Resume_Exec (nested execution)` });
}

function nestedMismatch(r: RecordOf<'irqEnter'>, nested: boolean, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'nestedMismatch', message: `IRQ ${r.irq} recorded as ${r.nested ? '' : 'not '}nested, but ${nested ? 'ring-0 code' : 'a VM'} was running` });
}

function innerFrameOpen(r: Closing, kind: number, top: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'unbalancedFrames', message: `${r.k} closed a ${FRAME_NAMES[kind]} frame while a ${FRAME_NAMES[top & KIND_MASK]} frame inside it was still open` });
}

function frameNeverOpened(r: Closing, kind: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'unbalancedFrames', message: `${r.k} closed a ${FRAME_NAMES[kind]} frame that was never opened` });
}
