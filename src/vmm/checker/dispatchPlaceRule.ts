/**
 * Where and when callbacks run (SPEC §7): scheduled events only at an event-processing point,
 * never inside a hardware-interrupt handler; a global callback in the VM that was current (EBX),
 * with no task switch while it waits; a VM event in its VM; a priority event only when its
 * restrictions hold, or with carry set after its timeout; task switches never inside a
 * callback (inside an interrupt handler: interruptRule.ts). The current VM and the interrupt
 * context come from the CpuTracker, not from the records' stamps.
 */
import { vmIdFromHandle } from '../vm.js';
import type { RecordOf } from '../history.js';
import type { Report } from './report.js';
import type { CpuTracker } from './cpuTracker.js';
import { restrictionsHold } from './restrictions.js';
import { HOLDER, type LiveEventTable } from './liveEvents.js';

export class DispatchPlaceRule {
  private processingDepth = 0;
  private callbackDepth = 0;
  /**
   * Global events scheduled and not yet run or cancelled (entries held as HOLDER.pendingGlobal),
   * counted: no task switch may come before them. Priority events' deadlines are held as
   * HOLDER.deadline.
   */
  private pendingGlobals = 0;
  /**
   * The last processing pass was cut by the livelock bound (a device bug the model reports):
   * global events it did not reach may still be pending when the VM's code runs.
   */
  private lastPassCut = false;
  /**
   * The last EBX a callback got and its VM id: vmIdFromHandle works on doubles (handles are
   * above 2^31) with a floating-point remainder, a library call; a callback nearly always gets
   * the same VM's handle as the one before.
   */
  private lastEbx = 0;
  private lastEbxVm = vmIdFromHandle(0);

  constructor(
    private readonly cpu: CpuTracker,
    private readonly events: LiveEventTable,
  ) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.processingDepth = this.callbackDepth = this.pendingGlobals = 0;
    this.lastPassCut = false;
  }

  processBegin(): void {
    this.processingDepth++;
  }

  processEnd(r: RecordOf<'processEnd'>): void {
    this.processingDepth--;
    this.lastPassCut = r.cut;
  }

  /** SPEC §3: "Global events run before returning to *any* VM": none is pending when a VM's code runs. */
  clientOp(r: RecordOf<'clientOp'>, report: Report): void {
    if (this.pendingGlobals > 0 && !this.lastPassCut) globalEventPendingInVm(r, this.pendingGlobals, this.cpu.current, report);
  }

  scheduled(r: RecordOf<'scheduled'>): void {
    if (r.kind === 'priority') this.events.hold(r.handle, HOLDER.deadline).deadlineTicks = r.deadlineTicks;
    else if (r.kind === 'global' && !this.events.holds(r.handle, HOLDER.pendingGlobal)) {
      this.events.hold(r.handle, HOLDER.pendingGlobal);
      this.pendingGlobals++;
    }
  }

  /** Only a cancel that took the event ends it (a refused one leaves it pending). */
  cancel(r: RecordOf<'cancel'>): void {
    if (r.outcome !== 'cancelled') return;
    const e = this.events.find(r.handle);
    if (e === null) return;
    if ((e.holders & HOLDER.pendingGlobal) !== 0) this.pendingGlobals--;
    this.events.release(e, HOLDER.deadline | HOLDER.pendingGlobal);
  }

  discarded(r: RecordOf<'discarded'>): void {
    const e = this.events.find(r.handle);
    if (e !== null) this.events.release(e, HOLDER.deadline);
  }

  /** `fromSleeps`: the VM switched from holds a callback that blocked (it can run nothing, global events included). */
  taskSwitch(r: RecordOf<'taskSwitch'>, report: Report, fromSleeps: boolean): void {
    if (this.callbackDepth > 0) report({ seq: r.seq, ticks: r.ticks, kind: 'taskSwitchInCallback', message: `task switch ${r.from}→${r.to} while a callback ran` });
    if (r.from !== this.cpu.current) report({ seq: r.seq, ticks: r.ticks, kind: 'currentVmMismatch', message: `task switch from VM ${r.from}, but VM ${this.cpu.current} was current` });
    // Seed page: 'Any virtual machine can process the event, so the system does not switch tasks
    // before calling the procedure.' Unless the VM cannot: its ring 0 sleeps in a callback.
    if (this.pendingGlobals > 0 && !fromSleeps) report({ seq: r.seq, ticks: r.ticks, kind: 'taskSwitchBeforeGlobalEvent', message: `task switch ${r.from}→${r.to} with ${this.pendingGlobals} global event(s) still to run` });
  }

  return(): void {
    this.callbackDepth--;
  }

  /**
   * A callback that blocked has left: its VM sleeps, and a task switch may come (the scheduler
   * runs another VM, as while a trap's VM is blocked).
   */
  callbackBlocked(): void {
    this.callbackDepth--;
  }

  /** A blocked callback runs again: at an event-processing point, never at interrupt time, like its dispatch. */
  callbackRestart(r: RecordOf<'blockedCallback'>, report: Report): void {
    this.callbackDepth++;
    if (this.processingDepth === 0 || this.cpu.atInterruptTime) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'dispatchOutsideProcessing', handle: r.handle, message: `${r.callback} (0x${r.handle.toString(16)}) ran again outside an event-processing point` });
    }
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    this.callbackDepth++;
    // SPEC §3: "A priority-event callback that is called because its timeout passed is entered
    // with the carry flag set"; any other priority callback finds it clear.
    if (r.kind === 'priority' && r.carry !== r.timedOut) carryMismatch(r, report);
    if (r.kind === 'global' && !r.inline) this.globalRan(r.handle);
    const current = this.cpu.current;
    if (r.vm !== current) currentVmMismatch(r, current, report);
    if (this.vmOfEbx(r.ebx) !== current && !r.timedOut) wrongEbx(r, report);
    if (r.inline) return;
    if (this.processingDepth === 0 || this.cpu.atInterruptTime) dispatchOutsideProcessing(r, report);
    if (r.kind === 'vm' && r.targetVm !== current) vmEventWrongVm(r, current, report);
    if (r.kind === 'priority') this.priorityDispatch(r, report, current);
  }

  private vmOfEbx(ebx: number): number {
    if (ebx !== this.lastEbx) {
      this.lastEbx = ebx;
      this.lastEbxVm = vmIdFromHandle(ebx);
    }
    return this.lastEbxVm;
  }

  private globalRan(handle: number): void {
    const e = this.events.find(handle);
    if (e === null || (e.holders & HOLDER.pendingGlobal) === 0) return;
    this.pendingGlobals--;
    this.events.release(e, HOLDER.pendingGlobal);
  }

  private priorityDispatch(r: RecordOf<'dispatch'>, report: Report, current: number): void {
    const e = this.events.find(r.handle);
    let deadline = -1;
    if (e !== null && (e.holders & HOLDER.deadline) !== 0) {
      deadline = e.deadlineTicks;
      this.events.release(e, HOLDER.deadline);
    }
    if (r.timedOut) {
      if (deadline < 0 || r.ticks < deadline) report({ seq: r.seq, ticks: r.ticks, kind: 'earlyTimeout', handle: r.handle, message: `priority event 0x${r.handle.toString(16)} ran as timed out before its timeout` });
      return;
    }
    if (r.targetVm !== current) report({ seq: r.seq, ticks: r.ticks, kind: 'priorityEventWrongVm', handle: r.handle, message: `priority event of VM ${r.targetVm} ran in VM ${current}` });
    if (r.state === null || !restrictionsHold(r.flags, r.state)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'restrictionsNotMet', handle: r.handle, message: `priority event 0x${r.handle.toString(16)} ran with its restrictions (flags 0x${r.flags.toString(16)}) unmet` });
    }
  }
}

// The reports of `dispatch`, out of line: a report's object and message are most of a rule's
// bytecode, and the compiler inlines a rule's method only while the caller's inlined bytecode
// stays within its budget (checker.ts), so the checks stay inline and the reports are calls.

function globalEventPendingInVm(r: RecordOf<'clientOp'>, pending: number, current: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'globalEventPendingInVm', message: `VM ${current} ran its code (${r.op.op}) with ${pending} global event(s) still to run` });
}

function carryMismatch(r: RecordOf<'dispatch'>, report: Report): void {
  const why = r.timedOut ? 'its time-out passed, but it was entered with carry clear' : 'it did not time out, but it was entered with carry set';
  report({ seq: r.seq, ticks: r.ticks, kind: 'timeoutCarryWrong', handle: r.handle, message: `priority callback ${r.callback} (0x${r.handle.toString(16)}): ${why}` });
}

function currentVmMismatch(r: RecordOf<'dispatch'>, current: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'currentVmMismatch', message: `callback ran with VM ${r.vm} current; the task switches say VM ${current}` });
}

function wrongEbx(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'wrongEbx', message: `${r.callback} got EBX = 0x${r.ebx.toString(16)}, not the current VM` });
}

function dispatchOutsideProcessing(r: RecordOf<'dispatch'>, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'dispatchOutsideProcessing', handle: r.handle, message: `${r.callback} (0x${r.handle.toString(16)}) ran outside an event-processing point` });
}

function vmEventWrongVm(r: RecordOf<'dispatch'>, current: number, report: Report): void {
  report({ seq: r.seq, ticks: r.ticks, kind: 'vmEventWrongVm', handle: r.handle, message: `VM event of VM ${r.targetVm} ran in VM ${current}` });
}
