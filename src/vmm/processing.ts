/**
 * The event-processing point (SPEC §1, §3 "Order of processing"): on the way back to ring 3,
 * global events first, then the scheduler picks the VM to run, then that VM's events and the
 * priority events whose restrictions hold, `PEF_Process_Last` ones on a second pass. Within
 * each (global events, the VM's events, its eligible priority events) the strategy picks the
 * order; FIFO by default. Callbacks may schedule more events: they are processed in the same
 * pass. A pass that dispatches more than `livelockBound` events beyond those the hardware
 * interrupts it took could have caused is cut and reported as a livelock: an event chain that
 * feeds itself. A pass fed by interrupts (a strategy may raise one at every preemption point,
 * each scheduling an event) is an interrupt storm of the environment's making, not a device's
 * livelock.
 */
import { invokeCallback } from './dispatch.js';
import type { EventNode } from './eventTable.js';
import { pickIndex } from './order.js';
import { schedule } from './scheduler.js';
import { dispatchPriorityEvent, eligiblePriorityEvent, timedOutPriorityEvent } from './services/priority.js';
import type { Machine } from './machine.js';
import * as rec from './records.js';

export function processEvents(vmm: Machine, mayTaskSwitch: boolean): void {
  // Never at interrupt time (SPEC §1): not inside a Hw_Int_Proc, not while the VMM is re-entered.
  if (vmm.processing || vmm.atInterruptTime) return;
  vmm.processing = true;
  const savedCtx = vmm.ctx;
  vmm.ctx = 'vmm';
  // Most processing points find nothing to do: the pass is recorded (processBegin/End) and
  // the registers saved only once something is dispatched or the scheduler switches (beginPass).
  let dispatched = 0;
  const bound = vmm.config.livelockBound;
  const interruptsBefore = vmm.interruptsTaken;
  for (;;) {
    if (dispatched - (vmm.interruptsTaken - interruptsBefore) > bound) {
      reportLivelock(vmm);
      break;
    }
    if (vmm.globals.length > 0) {
      beginPass(vmm);
      dispatchQueued(vmm, takeNext(vmm, vmm.globals)!);
      dispatched++;
      continue;
    }
    if (mayTaskSwitch) schedule(vmm, beginPass);
    const vm = vmm.current;
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
    rec.processEnd(vmm, dispatched);
    vmm.restoreRegs(saved);
  }
  vmm.ctx = savedCtx;
  vmm.processing = false;
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

function reportLivelock(vmm: Machine): void {
  const callback = vmm.lastDispatchedCallback;
  if (vmm.livelocked.has(callback)) return;
  vmm.livelocked.add(callback);
  vmm.violation(
    'livelock', 'device',
    `one processing pass dispatched more than ${vmm.config.livelockBound} events (an event that reschedules itself forever?)`,
    '', 0,
  );
}
