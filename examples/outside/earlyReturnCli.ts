/**
 * Outside driver 18 (interrupts left disabled on an early return): a printer driver's `send`
 * queues a byte and schedules `pump`; `pump` disables interrupts to take the queue from under
 * the printer's interrupt, and returns early when the queue is already empty, before its `sti`.
 * The queue is empty only when the ready interrupt drained it between the schedule and the
 * dispatch (at `send`'s status read, a service call after the schedule). An event callback must
 * return with interrupts enabled.
 *
 * Fixed: the early return enables interrupts first.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 3;

interface PrinterState { queued: number; printed: number }

export function earlyReturnCliScenario(fixed: boolean): Scenario {
  const printer = defineDevice<PrinterState>({
    name: 'printer',
    state: () => ({ queued: 0, printed: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'ready', meanIntervalTicks: 250 }],
    entries: ['send'],
    procs: {
      ready(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.printed += r.state.queued;
        r.state.queued = 0;
      },
      pump(r) {
        r.cli();
        if (r.state.queued === 0) {
          if (fixed) r.sti();
          return; // BUG: returns with interrupts disabled
        }
        r.state.printed += r.state.queued;
        r.state.queued = 0;
        r.sti();
      },
      send(r) {
        r.state.queued++;
        r.scheduleGlobalEvent('pump', 0);
        r.currentVm(); // read the printer's status port: ring-0 work after the schedule
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-early-return-cli (fixed)' : 'outside-early-return-cli',
    description: 'an event callback disables interrupts and returns early without enabling them',
    vms: 1,
    devices: [printer, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default earlyReturnCliScenario(false);
