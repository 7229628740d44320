/**
 * A disk controller on IRQ 14 (behind the slave PIC). A VM's `read` starts a request; the
 * completion interrupt calls a global event to finish it and a VM event to tell the VM that
 * asked; `abort` cancels a pending completion and notification with the zero-then-xchg idiom. An interrupt with
 * no request outstanding is not claimed (VPICD then ends it as spurious).
 *
 * The Hw_Int_Proc does not end the physical interrupt itself: it schedules a VM event for the
 * system VM (which owns the controller) that calls VPICD_Phys_EOI when that VM next runs. That is
 * legal (VPICD_Phys_EOI: "it is acceptable for an interrupt to be physically in service for any
 * arbitrary length of time"); meanwhile IRQ 14 alone waits, every other line goes on.
 */
import { defineDevice } from '../vmm/device.js';

export interface DiskState {
  outstanding: number[];
  /** The VM the pending notification is for (its handle is in the `notify` slot). */
  notifyVm: number;
  completed: number;
  aborted: number;
  notified: number;
  deferredEois: number;
}

export const disk = defineDevice<DiskState>({
  name: 'disk',
  state: () => ({ outstanding: [], notifyVm: 0, completed: 0, aborted: 0, notified: 0, deferredEois: 0 }),
  irqs: [{ irq: 14, hwIntProc: 'hwInt', meanIntervalTicks: 3000 }],
  slots: ['done', 'notify'],
  control: { Destroy_VM: 'destroyVm' },
  entries: ['read', 'abort'],
  procs: {
    hwInt(r) {
      r.takeHardwareRequest(14);
      const requester = r.state.outstanding.shift();
      if (requester === undefined) return false;
      // The EOI event is never cancelled (and the system VM never destroyed): IRQ 14 stays in
      // service until it runs.
      r.scheduleVmEvent(r.sysVm(), 'endInterrupt', 0);
      if (r.slot('done').read() === 0) r.slot('done').write(r.callGlobalEvent('complete', requester));
      // One notification pending at a time; it waits until the requesting VM runs.
      if (r.slot('notify').read() === 0 && r.vmHandles().includes(requester)) {
        r.state.notifyVm = requester;
        r.slot('notify').write(r.callVmEvent(requester, 'notify', r.state.completed));
      }
      return true;
    },
    destroyVm(r) {
      // Destroy_VM (EBX = the VM): its requests are dropped and its notification cancelled,
      // while the VMM still holds it (afterwards it would be discarded with the VM).
      const vm = r.regs.ebx;
      r.state.outstanding = r.state.outstanding.filter((requester) => requester !== vm);
      if (r.state.notifyVm !== vm) return;
      r.state.notifyVm = 0;
      r.cancelVmEvent(vm, r.slot('notify').xchg(0));
    },
    endInterrupt(r) {
      r.physEoi(r.irqHandle(14));
      r.state.deferredEois++;
    },
    complete(r) {
      r.slot('done').write(0);
      r.state.completed++;
    },
    notify(r) {
      r.slot('notify').write(0);
      r.state.notified++;
      r.client.set('EAX', r.regs.edx);
    },
    read(r) {
      if (r.state.outstanding.length < 4) r.state.outstanding.push(r.currentVm());
    },
    abort(r) {
      const done = r.slot('done').xchg(0);
      const notify = r.slot('notify').xchg(0);
      // Cancel_VM_Event names the VM the event was scheduled for (SPEC §4), not the current one.
      // Read it with the handle, before any service call: each is a preemption point, and an
      // interrupt there may pend a new notification for another VM.
      const notifyVm = r.state.notifyVm;
      if (done !== 0 || notify !== 0) r.state.aborted++;
      r.cancelGlobalEvent(done);
      r.cancelVmEvent(notifyVm, notify);
    },
  },
});

