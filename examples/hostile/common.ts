/**
 * What the hostile drivers share: one device `d` on IRQ 5 whose interrupt handler only
 * acknowledges, a trap entry `poke` that does the abuse, and the built-in system timer beside it.
 * Written against the public API only (`src/index.ts`, what `import ... from 'vmmsim'` gives).
 * Each driver abuses the API itself (the types, the objects the tool hands it, its bounds), not
 * only the VMM's rules; `test/redteam/hostileDrivers.test.ts` holds what each must be reported as.
 */
import { defineDevice, defineScenario, timer, type DeviceProc, type DeviceSpec, type Scenario } from '../../src/index.js';

export const IRQ = 5;

export function hostileScenario<S extends object>(name: string, state: () => S, procs: Record<string, DeviceProc<S>>, extra: Partial<DeviceSpec<S>> = {}): Scenario {
  const device = defineDevice<S>({
    name: 'd',
    state,
    irqs: [{ irq: IRQ, hwIntProc: 'hwInt', meanIntervalTicks: 60 }],
    slots: ['saved'],
    entries: ['poke'],
    ...extra,
    procs: {
      hwInt(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
      },
      ...procs,
    },
  });
  return defineScenario({
    name,
    vms: 2,
    devices: [timer, device],
    mix: { run: 25, trap: 65, interruptFlag: 5, iret: 0, mode: 0, runTicksMean: 20 },
    steps: 30,
  });
}
