/**
 * For the checker judge of `npm run mutants`: control messages whose handlers schedule global
 * events (SPEC §5b: "most event scheduling and cancelling in real VxD sources happens there"),
 * sent by the machine itself (focus changes, a VM created and destroyed), so that a mutant which
 * returns to the VM without an event-processing point leaves them pending while the VM's code
 * runs: SPEC §3, "Global events run before returning to *any* VM". The built-in machine's
 * control handlers schedule nothing.
 */
import { defineDevice, defineScenario } from '../../../src/index.js';

const notifier = defineDevice<{ notified: number }>({
  name: 'notifier',
  state: () => ({ notified: 0 }),
  control: { Set_Device_Focus: 'notify', Create_VM: 'notify', Destroy_VM: 'notify' },
  procs: {
    notify(r) {
      r.scheduleGlobalEvent('notified', r.regs.ebx);
    },
    notified(r) {
      r.state.notified++;
    },
  },
});

export default defineScenario({
  name: 'mutants-control-events',
  description: 'global events scheduled by Set_Device_Focus, Create_VM and Destroy_VM handlers',
  vms: 3,
  devices: [notifier],
  lifecycle: [
    { atStep: 20, op: 'focus', vm: 2 },
    { atStep: 60, op: 'create' },
    { atStep: 100, op: 'focus', vm: 3 },
    { atStep: 140, op: 'destroy', vm: 4 },
    { atStep: 180, op: 'focus', vm: 1 },
  ],
  steps: 400,
});
