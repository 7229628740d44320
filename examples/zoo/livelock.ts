/**
 * Zoo bug 6: a callback that re-schedules itself forever.
 *
 * `send` marks the transmitter busy while it works in ring 0. An interrupt that lands inside
 * that window sees a collision and calls a `retry` event. The retry callback re-schedules
 * itself while the collision flag is set, but only the path it cut into would clear the flag:
 * every processing pass dispatches retry after retry (events scheduled during processing run in
 * the same pass) until the livelock bound cuts it.
 *
 * The fixed twin gives up after three retries and clears the flag.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 9;
const RETRIES_MAX = 3;

export interface RetryState {
  busy: boolean;
  collision: boolean;
  retries: number;
  sent: number;
}

export function retryDevice(fixed: boolean) {
  return defineDevice<RetryState>({
    name: 'retrier',
    state: () => ({ busy: false, collision: false, retries: 0, sent: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    entries: ['send'],
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (!r.state.busy) return;
        r.state.collision = true;
        r.callGlobalEvent('retry', 0);
      },
      retry(r) {
        if (!r.state.collision) return;
        r.state.retries++;
        if (!fixed || r.state.retries < RETRIES_MAX) {
          r.scheduleGlobalEvent('retry', r.state.retries);
          return;
        }
        r.state.collision = false;
        r.state.retries = 0;
      },
      send(r) {
        r.state.busy = true;
        r.currentVm();
        r.sysVm();
        r.state.busy = false;
        r.state.sent++;
      },
    },
  });
}

export function livelockScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'livelock (fixed)' : 'livelock',
    description: 'a callback that re-schedules itself forever',
    vms: 1,
    devices: [retryDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    // A small bound keeps each livelocked execution short.
    config: { livelockBound: 64 },
    steps: 40,
  });
}
