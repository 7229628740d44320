/**
 * Zoo bug 7: with pooled handles (the real VMM's event nodes), a stale cancel silently cancels
 * another device's event, which that device sees as a lost event.
 *
 * `armer` arms a global event and, like bug 1, never zeroes the saved handle in its callback.
 * Its interrupt disarms: `xchg [saved], 0` and Cancel_Global_Event. Once the armed event has run,
 * its node is free, and the next event anyone schedules reuses it (last freed, first reused).
 * `requester` schedules a completion event and does more ring-0 work before the processing
 * point; if the armer's interrupt lands there, its stale handle names the requester's pending
 * event, and the cancel succeeds: no error, the requester's completion never runs. The
 * requester's own invariant catches it: every request completes by the end of its step
 * (global events always run at the next processing point).
 *
 * With checked handles the same run reports a stale cancel instead. The fixed twin zeroes the
 * saved handle in the callback.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const IRQ = 10;

export interface ArmerState {
  armed: number;
  fired: number;
  disarmed: number;
}

export interface RequesterState {
  requested: number;
  completed: number;
}

export function armerDevice(fixed: boolean) {
  return defineDevice<ArmerState>({
    name: 'armer',
    state: () => ({ armed: 0, fired: 0, disarmed: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 200 }],
    slots: ['armed'],
    entries: ['arm'],
    procs: {
      arm(r) {
        r.state.armed++;
        r.slot('armed').write(r.scheduleGlobalEvent('fire', r.state.armed));
      },
      fire(r) {
        if (fixed) r.slot('armed').write(0);
        r.state.fired++;
      },
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        const handle = r.slot('armed').xchg(0);
        if (handle !== 0) r.state.disarmed++;
        r.cancelGlobalEvent(handle);
      },
    },
  });
}

export const requester = defineDevice<RequesterState>({
  name: 'requester',
  state: () => ({ requested: 0, completed: 0 }),
  slots: ['pending'],
  entries: ['request'],
  procs: {
    request(r) {
      r.state.requested++;
      r.slot('pending').write(r.scheduleGlobalEvent('complete', r.state.requested));
      r.currentVm();
      r.sysVm();
    },
    complete(r) {
      r.slot('pending').write(0);
      r.state.completed++;
    },
  },
});

export function pooledStaleScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'pooled-stale-cancel (fixed)' : 'pooled-stale-cancel',
    description: "a stale pooled handle silently cancels another device's event",
    vms: 1,
    devices: [armerDevice(fixed), requester, ...BACKGROUND],
    mix: ZOO_MIX,
    config: { handleMode: 'pooled' },
    invariants: [{
      name: 'lostEvent',
      check(view) {
        const s = view.device<RequesterState>('requester');
        return s.requested === s.completed ? undefined : `requester: ${s.requested - s.completed} completion event(s) never ran and were never cancelled by the requester`;
      },
    }],
    steps: 40,
  });
}
