/**
 * What every zoo scenario shares: a workload of mostly traps with short computations between,
 * and a background of correct devices (the system timer, a busy disk-like device with long
 * ring-0 paths) whose interrupts and service calls dilute the buggy window, as the rest of a
 * real machine does.
 */
import type { WorkloadMix } from '../../src/actors/workload.js';
import { timer } from '../../src/devices/timer.js';
import { defineDevice, type AnyDeviceSpec } from '../../src/vmm/device.js';

export const ZOO_MIX: Partial<WorkloadMix> = { run: 20, trap: 70, interruptFlag: 4, iret: 0, eoi: 0, mask: 0, mode: 0, runTicksMean: 20 };

/** A correct device whose requests do ring-0 work with interrupts enabled: many harmless preemption points. */
const busy = defineDevice<{ requests: number }>({
  name: 'busy',
  state: () => ({ requests: 0 }),
  entries: ['request'],
  procs: {
    request(r) {
      r.state.requests++;
      for (let i = 0; i < 4; i++) r.currentVm();
    },
  },
});

export const BACKGROUND: readonly AnyDeviceSpec[] = [timer, busy];
