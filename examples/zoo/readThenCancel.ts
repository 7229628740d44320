/**
 * Zoo bug 2: the cancel reads the saved handle and then cancels, without the atomic xchg, and
 * races the dispatch.
 *
 * `close` reads the saved receive handle, lets the VM drain its buffer in nested execution, and
 * then cancels. Nested execution returns to ring 3: an event-processing point inside ring-0
 * code. If the receive event was pending when `close` read the handle (an IRQ interrupted
 * `close` before the read, so the event was scheduled), it runs during the nested execution,
 * its callback zeroes the saved handle (correctly), and `close` cancels the copy it read: a
 * stale handle.
 *
 * The fixed twin takes the handle with `xchg [saved], 0` right before the cancel: whatever ran
 * in between, it cancels either the pending event or nothing.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 4;

export interface PortState {
  received: number;
  delivered: number;
  closed: number;
}

export function portDevice(fixed: boolean) {
  return defineDevice<PortState>({
    name: 'port',
    state: () => ({ received: 0, delivered: 0, closed: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    slots: ['rx'],
    entries: ['poll', 'close'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.received++;
        const handle = r.callGlobalEvent('rxReady', r.state.received);
        if (handle !== 0) r.slot('rx').write(handle);
      },
      rxReady(r) {
        r.slot('rx').write(0);
        r.state.delivered++;
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
      },
      close(r) {
        r.currentVm();
        if (fixed) {
          r.execNested();
          r.cancelGlobalEvent(r.slot('rx').xchg(0));
        } else {
          const handle = r.slot('rx').read();
          r.execNested();
          r.slot('rx').write(0);
          r.cancelGlobalEvent(handle);
        }
        r.state.closed++;
      },
    },
  });
}

export function readThenCancelScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'read-then-cancel (fixed)' : 'read-then-cancel',
    description: 'the cancel reads the saved handle, then cancels without xchg, and races the dispatch',
    vms: 1,
    devices: [portDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
