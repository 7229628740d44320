/**
 * Zoo bug 9: a stop path racing the I/O counter (SCTBench `bluetooth_driver_bad`, repository
 * mc-imperial/sctbench, path benchmarks/concurrent-software-benchmarks/bluetooth_driver_bad.c,
 * after the Windows BCSP Bluetooth driver that KISS and later CHESS studied).
 *
 * The driver counts I/O in flight (pendingIo, starting at 1: the driver's own reference). An I/O
 * request (`io`, a VM trapping in) first checks the stopping flag and only then increments the
 * counter. The stop path runs from the surprise-removal interrupt: it sets the stopping flag and
 * drops the driver's reference; whoever drops the count to zero releases the device, here with a
 * global event. An interrupt that lands between the check and the increment releases the device
 * under a request that has already decided to go on: the release callback runs at the request's
 * next event-processing point (its nested execution, the transfer to the VM), and the request
 * then touches a stopped device.
 *
 * The fixed twin increments first and checks the flag after (as the original's fix,
 * BCSP_IoIncrement incrementing before it tests stoppingFlag), backing out if stopping.
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const REMOVAL_IRQ = 9;

export interface BcspState {
  pendingIo: number;
  stopping: boolean;
  stopped: boolean;
  transfers: number;
}

function ioDecrement(r: Ring0<BcspState>): void {
  r.state.pendingIo--;
  if (r.state.pendingIo === 0) r.callGlobalEvent('release', 0);
}

export function bcspDevice(fixed: boolean) {
  return defineDevice<BcspState>({
    name: 'bcsp',
    state: () => ({ pendingIo: 1, stopping: false, stopped: false, transfers: 0 }),
    irqs: [{ irq: REMOVAL_IRQ, hwIntProc: 'removal', meanIntervalTicks: 2000 }],
    entries: ['io', 'poll'],
    procs: {
      removal(r) {
        r.takeHardwareRequest(REMOVAL_IRQ);
        r.physEoi(r.irqHandle(REMOVAL_IRQ));
        if (r.state.stopping) return;
        r.state.stopping = true;
        ioDecrement(r);
      },
      release(r) {
        r.state.stopped = true;
      },
      io(r) {
        if (fixed) {
          r.state.pendingIo++;
          if (r.state.stopping) {
            ioDecrement(r);
            return;
          }
        } else {
          if (r.state.stopping) return;
          r.currentVm();
          r.state.pendingIo++;
        }
        r.execNested();
        if (r.state.stopped) r.fail('ioAfterStop', `an I/O request ran on the device after its stop released it (pendingIo ${r.state.pendingIo})`);
        r.state.transfers++;
        ioDecrement(r);
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
      },
    },
  });
}

export function stopRaceScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'stop-race (fixed)' : 'stop-race',
    description: 'the stop interrupt lands between the I/O path\'s stopping check and its increment of the I/O counter',
    vms: 1,
    devices: [bcspDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
