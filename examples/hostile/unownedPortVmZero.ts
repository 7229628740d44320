/**
 * Hostile driver 1 (VM handle 0): a port sends each interrupt to its owner VM as a VM event, and
 * "no owner yet" is 0. Before any VM opens the port, the interrupt schedules for VM 0. SPEC §2:
 * "A VM handle is a non-zero 32-bit value"; `Schedule_VM_Event` takes EBX = a VM. Shows as
 * `invalidVmHandle` (was: silently scheduled for whatever VM EBX held, the current one).
 */
import { hostileScenario, IRQ } from './common.js';

export default hostileScenario('unowned-port-vm-zero', () => ({ owner: 0 }), {
  hwInt(r) {
    r.takeHardwareRequest(IRQ);
    r.physEoi(r.irqHandle(IRQ));
    if (r.slot('saved').read() === 0) r.slot('saved').write(r.scheduleVmEvent(r.state.owner, 'deliver', 0));
  },
  deliver(r) {
    r.slot('saved').write(0);
  },
  poke(r) {
    r.state.owner = r.currentVm();
  },
});
