/**
 * The event-processing point (SPEC §1, §3 "Order of processing"): on the way back to ring 3,
 * global events first, then the scheduler picks the VM to run, then that VM's events and the
 * priority events whose restrictions hold, `PEF_Process_Last` ones on a second pass. Within
 * each (global events, the VM's events, its eligible priority events) the strategy picks the
 * order; FIFO by default. Callbacks may schedule more events: they are processed in the same
 * pass. A pass that dispatches more than `livelockBound` events beyond those pending as it
 * began and those scheduled at interrupt time during it is cut and reported as a livelock: an
 * event chain that feeds itself.
 * (Interrupts that scheduled nothing excuse nothing: counting every interrupt taken let a chain
 * run on for millions of dispatches under frequent IRQs, and for ever with one IRQ per dispatch.)
 * A pass fed by interrupts (a strategy may raise one at every preemption point, each scheduling
 * an event) is an interrupt storm of the environment's making, not a device's chain; it too is
 * cut, at STORM_BOUND_FACTOR times the bound, so that a pass always ends (SPEC §7: never hang).
 *
 * A callback dispatched here may block on the critical section (dispatch.ts): its VM keeps it,
 * and the pass goes on in another VM (the scheduler switches, as a real VMM does while the VM
 * sleeps in ring 0); nothing runs in the blocked VM meanwhile, not even a global event, which
 * otherwise runs in whichever VM is current. When that VM is current again at a pass on the way
 * back to ring 3, no longer blocked and the section free (or its own), the callback runs again
 * from the start, before anything else runs in it (a restart, like a blocked trap's
 * re-execution; a real callback would go on from inside Begin_Critical_Section).
 */
import { invokeCallback } from './dispatch.js';
import type { EventNode } from './eventTable.js';
import { pickIndex } from './order.js';
import { schedule, schedulingChanged } from './scheduler.js';
import { dispatchPriorityEvent, eligiblePriorityEvent, timedOutPriorityEvent } from './services/priority.js';
import type { Machine } from './machine.js';
import type { VmState } from './vm.js';
import * as rec from './records.js';

export function processEvents(vmm: Machine, mayTaskSwitch: boolean): void {
  // Never at interrupt time (SPEC §1): not inside a Hw_Int_Proc, not while the VMM is re-entered.
  if (vmm.processing || vmm.atInterruptTime) return;
  vmm.processing = true;
  const savedCtx = vmm.ctx;
  // Entered from ring 3's side (a trap's or an interrupt's return to the VM, or between steps):
  // no ring-0 frame below the pass, so a callback may be unwound and run again later.
  vmm.passFromRing3 = savedCtx === 'vm';
  vmm.ctx = 'vmm';
  // Most processing points find nothing to do: the pass is recorded (processBegin/End) and
  // the registers saved only once something is dispatched or the scheduler switches (beginPass).
  let dispatched = 0;
  let cut = false;
  const bound = vmm.config.livelockBound;
  const fromInterruptsBefore = vmm.eventsFromInterrupts;
  // The events pending as the pass begins are finite (the pool bounds them): a batch a device
  // scheduled before it is no chain, however long (it was reported as a livelock at 1,000).
  const pendingBefore = vmm.table.live;
  for (;;) {
    const beyond = dispatched - pendingBefore;
    if (beyond - (vmm.eventsFromInterrupts - fromInterruptsBefore) > bound || beyond > bound * STORM_BOUND_FACTOR) {
      reportLivelock(vmm, beyond, vmm.eventsFromInterrupts - fromInterruptsBefore);
      cut = true;
      break;
    }
    const here = vmm.current;
    if (here.blockedCallback !== null) {
      // Its ring 0 sleeps inside a callback that blocked: that callback goes on (runs again) before
      // anything else runs in the VM, global events included.
      if (vmm.passFromRing3 && here.runnable) {
        beginPass(vmm);
        resumeBlockedCallback(vmm, here);
        // Counted with the dispatches: the livelock bound holds whatever runs callbacks.
        dispatched++;
        continue;
      }
      // Nothing runs in it meanwhile: a second callback that blocked would take the first one's
      // place, dispatched and never completed (an outside audit). The pass goes on in another VM.
      if (mayTaskSwitch) schedule(vmm, beginPass);
      if (vmm.current === here) break;
      continue;
    }
    if (vmm.globals.length > 0) {
      beginPass(vmm);
      dispatchQueued(vmm, takeNext(vmm, vmm.globals)!);
      dispatched++;
      continue;
    }
    if (mayTaskSwitch) schedule(vmm, beginPass);
    const vm = vmm.current;
    if (vm.blockedCallback !== null) continue;
    const vmEvent = vm.runnable ? takeNext(vmm, vm.vmEvents) : undefined;
    if (vmEvent !== undefined) {
      beginPass(vmm);
      dispatchQueued(vmm, vmEvent);
      dispatched++;
      continue;
    }
    // Time-outs first, in any VM; then the current VM's events whose restrictions hold.
    const timedOut = timedOutPriorityEvent(vmm);
    const priority = timedOut ?? eligiblePriorityEvent(vmm);
    if (priority !== undefined) {
      beginPass(vmm);
      dispatchPriorityEvent(vmm, priority, timedOut !== undefined);
      dispatched++;
      continue;
    }
    break;
  }
  const saved = vmm.passFrame;
  if (saved !== null) {
    vmm.passFrame = null;
    rec.processEnd(vmm, dispatched, cut);
    vmm.restoreRegs(saved);
  }
  vmm.ctx = savedCtx;
  vmm.processing = vmm.passFromRing3 = false;
}

/**
 * The current VM, no longer blocked, has a callback that blocked: it runs again from the start
 * if the critical section is free or the VM's own. If another VM claimed the section since it was
 * released (the VM was unblocked but did not run), the VM blocks again at once, without running
 * the callback: a restart would only block again inside Begin_Critical_Section.
 */
function resumeBlockedCallback(vmm: Machine, vm: VmState): void {
  const owner = vmm.critOwner;
  if (owner !== null && owner !== vm) {
    vm.blockedOnCritical = true;
    schedulingChanged(vmm);
    rec.critical(vmm, 'block', owner.id, vmm.critCount);
    return;
  }
  const { kind, handle, callback, refData, targetVm, timedOut, flags } = vm.blockedCallback!;
  vm.blockedCallback = null;
  invokeCallback(vmm, kind, handle, callback, refData, targetVm, timedOut, flags, true);
}

/** The pass has work: its registers are saved and it is recorded (once per pass). */
function beginPass(vmm: Machine): void {
  if (vmm.passFrame !== null) return;
  vmm.passFrame = vmm.saveRegs();
  rec.processBegin(vmm);
}

function takeNext(vmm: Machine, queue: EventNode[]): EventNode | undefined {
  if (queue.length === 0) return undefined;
  const index = pickIndex(vmm, queue.length);
  const node = queue[index];
  // Removes it in place, order kept (splice would allocate the array of removed nodes).
  for (let i = index + 1; i < queue.length; i++) queue[i - 1] = queue[i]!;
  queue.pop();
  return node;
}

/** A global or VM event leaves its queue: its node is free (its handle stale) before the call. */
function dispatchQueued(vmm: Machine, node: EventNode): void {
  const { kind, handle, callback, refData, vm } = node;
  vmm.table.release(node);
  vmm.lastDispatchedCallback = callback;
  invokeCallback(vmm, kind, handle, callback, refData, vm, false, 0);
}

/** A pass fed by interrupts ends all the same past this many times the livelock bound. */
export const STORM_BOUND_FACTOR = 64;

/**
 * `beyond`: the events the pass dispatched beyond those pending as it began. (Their number is not
 * in the message: it changes as a run shrinks, and the message names the bug.)
 */
function reportLivelock(vmm: Machine, beyond: number, fromInterrupts: number): void {
  const callback = vmm.lastDispatchedCallback;
  if (vmm.livelocked.has(callback)) return;
  vmm.livelocked.add(callback);
  const bound = vmm.config.livelockBound;
  vmm.violation(
    'livelock', 'device',
    beyond - fromInterrupts > bound
      ? `one processing pass dispatched more than ${bound} events beyond those pending as it began (an event that reschedules itself forever?)`
      : `one processing pass dispatched ${beyond} events beyond those pending as it began, ${fromInterrupts} of them scheduled at interrupt time (an interrupt storm, or a chain its handlers feed?)`,
    '', 0,
  );
}
