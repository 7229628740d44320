/** The built-in default scenario: the whole built-in machine, 4 VMs, one VM replaced mid-run. */
import { BUILTIN_DEVICES } from '../devices/index.js';
import { defineScenario, type Scenario } from './scenario.js';

export function defaultScenario(vms = 4, steps = 20_000): Scenario {
  return defineScenario({
    name: 'default',
    description: 'timer, keyboard, serial, disk, mouse, DOS manager and display on 4 VMs',
    vms,
    devices: BUILTIN_DEVICES,
    steps,
    // Halfway the user switches to VM 2 and the last VM is replaced; later the focus goes to the
    // new one. (Nothing before halfway: on threads "halfway" is only known when it comes.)
    lifecycle: vms > 2 ? [
      { atStep: Math.floor(steps / 2), op: 'focus', vm: 2 },
      { atStep: Math.floor(steps / 2), op: 'destroy', vm: vms },
      { atStep: Math.floor(steps / 2) + 1, op: 'create' },
      { atStep: Math.floor((3 * steps) / 4), op: 'focus', vm: vms + 1 },
    ] : [],
  });
}
