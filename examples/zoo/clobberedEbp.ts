/**
 * Zoo bug 5: a callback that clobbers EBP, which an event callback must preserve.
 *
 * Each receive interrupt queues a byte and calls a `drain` global event. One byte is drained
 * by the simple path. When several bytes are queued, the batch path borrows EBP as a scratch
 * pointer and forgets to restore it. Several bytes are queued only when two interrupts cut into
 * the same ring-0 code before its processing point (each one scheduled, since each interrupted
 * the VMM), so the bug needs that interleaving.
 *
 * The fixed twin saves and restores EBP around the batch path.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 7;
/** Where the batch path points EBP: the FIFO's ring buffer, in the device's own memory. */
const RING_BUFFER = 0xc00f_0000;

export interface FifoState {
  queued: number;
  drained: number;
  batches: number;
}

export function fifoDevice(fixed: boolean) {
  return defineDevice<FifoState>({
    name: 'fifo',
    state: () => ({ queued: 0, drained: 0, batches: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    entries: ['poll'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.queued++;
        r.callGlobalEvent('drain', 0);
      },
      drain(r) {
        if (r.state.queued > 1) {
          const savedEbp = r.regs.ebp;
          r.regs.ebp = RING_BUFFER + r.state.queued;
          r.state.batches++;
          if (fixed) r.regs.ebp = savedEbp;
        }
        r.state.drained += r.state.queued;
        r.state.queued = 0;
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
        r.currentVm();
      },
    },
  });
}

export function clobberedEbpScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'clobbered-ebp (fixed)' : 'clobbered-ebp',
    description: 'a callback that clobbers EBP on its batch path',
    vms: 1,
    devices: [fifoDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
