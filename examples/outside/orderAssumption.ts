/**
 * Outside driver 9 (two global events assumed to run in the order they were scheduled): a
 * network card's receive interrupt schedules `copyPacket`, then `indicate`, and `indicate`
 * assumes the copy has happened. FIFO (the default outside exploration) always agrees, but
 * "there is no guarantee on the order in which events are processed" (SPEC §3), and exploration
 * makes the order a choice point. Needs an interrupt and the reversed order.
 *
 * Fixed: `copyPacket` schedules `indicate` itself, when the copy is done.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 9;

export function orderAssumptionScenario(fixed: boolean): Scenario {
  const net = defineDevice<{ received: number; copied: number; indicated: number }>({
    name: 'netcard',
    state: () => ({ received: 0, copied: 0, indicated: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'receive', meanIntervalTicks: 300 }],
    entries: ['status'],
    procs: {
      receive(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        const packet = ++r.state.received;
        r.scheduleGlobalEvent('copyPacket', packet);
        if (!fixed) r.scheduleGlobalEvent('indicate', packet);
      },
      copyPacket(r) {
        r.state.copied = r.regs.edx;
        if (fixed) r.scheduleGlobalEvent('indicate', r.regs.edx);
      },
      indicate(r) {
        if (r.state.copied < r.regs.edx) r.fail('indicateBeforeCopy', `packet ${r.regs.edx} indicated before it was copied`);
        r.state.indicated++;
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-order-assumption (fixed)' : 'outside-order-assumption',
    description: 'two global events assumed to run in the order they were scheduled',
    vms: 1,
    devices: [net, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default orderAssumptionScenario(false);
