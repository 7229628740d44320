/**
 * The event path, and nothing else: every client step of every VM is a request into one device
 * whose entry calls Call_Global_Event; the callback runs in the current VM (inline: the VMM is
 * not re-entered) and completes the request in the VM's Client_Reg_Struc (EAX), which the VM's
 * worker shares. One queue message → one decision → one callback → one completion.
 */
import { defineDevice } from '../../src/vmm/device.js';
import { defineScenario } from '../../src/scenario/scenario.js';

export const pingDevice = defineDevice<{ completed: number }>({
  name: 'ping',
  state: () => ({ completed: 0 }),
  entries: ['request'],
  procs: {
    request(r) {
      r.callGlobalEvent('complete', r.regs.eax);
    },
    complete(r) {
      r.state.completed++;
      r.client.set('EAX', r.regs.edx);
    },
  },
});

export default defineScenario({
  name: 'event-path',
  description: 'every client step is one Call_Global_Event request and its completion',
  vms: 4,
  devices: [pingDevice],
  mix: { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});
