/**
 * Zoo bug 1: the callback does not zero the saved handle, and a later cancel hits a stale handle.
 *
 * The receive interrupt calls a global event for each byte. If the interrupt arrived while a VM
 * ran, Call_Global_Event runs the callback at once and returns 0; if it interrupted ring-0 code
 * (re-enter count > 0), the event is scheduled and its handle saved. The callback forgets the
 * DDK's first step, zeroing the saved handle, so after it runs the handle is stale, and the
 * next `flush` cancels an event that has already run.
 *
 * The interleaving: an IRQ inside ring-0 code (here, `poll`) as the last receive interrupt
 * before a `flush`. The fixed twin zeroes the handle first thing in the callback.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 3;

export interface RxState {
  received: number;
  delivered: number;
}

export function rxDevice(fixed: boolean) {
  return defineDevice<RxState>({
    name: 'rxbuf',
    state: () => ({ received: 0, delivered: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    slots: ['rx'],
    entries: ['poll', 'flush'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.received++;
        r.slot('rx').write(r.callGlobalEvent('rxDone', r.state.received));
      },
      rxDone(r) {
        if (fixed) r.slot('rx').write(0);
        r.state.delivered++;
      },
      // Ring-0 work with interrupts enabled: each service call is a point an IRQ can cut in.
      poll(r) {
        r.currentVm();
        r.sysVm();
        r.currentVm();
      },
      flush(r) {
        r.cancelGlobalEvent(r.slot('rx').xchg(0));
      },
    },
  });
}

export function staleHandleScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'stale-handle (fixed)' : 'stale-handle',
    description: 'the callback does not zero the saved handle; a later cancel hits a stale handle',
    vms: 1,
    devices: [rxDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
