/**
 * A display driver that repaints from the system VM in protected mode, outside nested
 * execution: a priority event with a timeout. When the system VM stays in V86 mode too long
 * the timeout fires, and the callback runs at once in whatever VM is current, with carry set.
 * A new invalidation cancels a repaint still waiting (Cancel_Priority_VM_Event, a synchronous
 * service: fine from a trap, a bug at interrupt time).
 */
import { Boost, PEF } from '../vmm/constants.js';
import { defineDevice } from '../vmm/device.js';

export interface DisplayState {
  requested: number;
  superseded: number;
  painted: number;
  timedOut: number;
}

export const REPAINT_TIMEOUT_MS = 1;

export const display = defineDevice<DisplayState>({
  name: 'display',
  state: () => ({ requested: 0, superseded: 0, painted: 0, timedOut: 0 }),
  slots: ['repaint'],
  entries: ['invalidate'],
  procs: {
    invalidate(r) {
      // A newer invalidation supersedes a repaint still waiting: cancel it (xchg idiom) and ask again.
      const pending = r.slot('repaint').xchg(0);
      if (pending !== 0) r.state.superseded++;
      r.cancelPriorityVmEvent(pending);
      r.state.requested++;
      const handle = r.callPriorityVmEvent({
        boost: Boost.High_Pri_Device_Boost, vm: r.sysVm(),
        flags: PEF.Wait_In_PM | PEF.Wait_Not_Nested_Exec | PEF.Time_Out | PEF.Process_Last,
        callback: 'repaint', refData: r.state.requested, timeoutMs: REPAINT_TIMEOUT_MS,
      });
      r.slot('repaint').write(handle);
    },
    repaint(r) {
      r.slot('repaint').write(0);
      if (r.carry) r.state.timedOut++;
      else r.state.painted++;
    },
  },
});
