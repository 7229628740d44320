/**
 * A DOS manager that owns the critical section while a VM is inside DOS: `enter` claims it
 * (Begin_Critical_Section blocks a VM while another VM is inside), `leave` releases it. The
 * owner gets Critical_Section_Boost meanwhile; other VMs that trap in block until it leaves.
 */
import { defineDevice } from '../vmm/device.js';

export interface DosMgrState {
  /** Claims held, per VM handle. */
  held: Map<number, number>;
  entered: number;
  left: number;
}

/** How deep one VM may nest DOS calls (bounds a VM's hold on the section). */
const MAX_NESTING = 2;

export const dosmgr = defineDevice<DosMgrState>({
  name: 'dosmgr',
  state: () => ({ held: new Map(), entered: 0, left: 0 }),
  entries: ['enter', 'leave'],
  procs: {
    enter(r) {
      const vm = r.currentVm();
      const held = r.state.held.get(vm) ?? 0;
      if (held >= MAX_NESTING) return;
      r.beginCriticalSection();
      r.state.held.set(vm, held + 1);
      r.state.entered++;
    },
    leave(r) {
      const vm = r.currentVm();
      const held = r.state.held.get(vm) ?? 0;
      if (held === 0) return;
      r.state.held.set(vm, held - 1);
      r.state.left++;
      r.endCriticalSection();
    },
  },
});
