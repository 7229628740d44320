/**
 * Zoo bug 10: a lost update of a GPIO port's output register (the pc8736x_gpio driver races of
 * sv-benchmarks, repository sosy-lab/sv-benchmarks, path
 * c/pthread-driver-races/char_pc8736x_gpio_pc8736x_gpio_change_pc8736x_gpio_current_false-unreach-call.c,
 * after Linux drivers/char/pc8736x_gpio.c).
 *
 * `pc8736x_gpio_set` changes one pin by a read-modify-write of the port: read the output
 * register, compute the new value, write it back, then refresh the shadow copy; nothing keeps
 * anyone else off the port in between. Here a VM toggles pin 0 through the device (`toggle`),
 * and the pin-change interrupt toggles pin 1 of the same port from its handler. An interrupt
 * between the read and the write has its change overwritten by the stale value: pin 1 no longer
 * matches the number of times the interrupt toggled it.
 *
 * The fixed twin does the read-modify-write with interrupts disabled (`cli` ... `sti`, the
 * ring-0 form of spin_lock_irqsave).
 */
import { defineScenario, type Scenario } from '../../src/scenario/scenario.js';
import { defineDevice, type Ring0 } from '../../src/vmm/device.js';
import { BACKGROUND, ZOO_MIX } from './mix.js';

const PIN_CHANGE_IRQ = 10;

export interface GpioState {
  /** The port's output register. */
  port: number;
  shadow: number;
  /** Toggles of pin 1 the interrupt made. */
  interruptToggles: number;
}

function checkPin1(r: Ring0<GpioState>): void {
  if (((r.state.port >> 1) & 1) !== (r.state.interruptToggles & 1)) {
    r.fail('lostUpdate', `pin 1 reads ${(r.state.port >> 1) & 1} after ${r.state.interruptToggles} interrupt toggles: a read-modify-write of the port overwrote one`);
  }
}

export function gpioDevice(fixed: boolean) {
  return defineDevice<GpioState>({
    name: 'gpio',
    state: () => ({ port: 0, shadow: 0, interruptToggles: 0 }),
    irqs: [{ irq: PIN_CHANGE_IRQ, hwIntProc: 'pinChange', meanIntervalTicks: 400 }],
    entries: ['toggle', 'poll'],
    procs: {
      pinChange(r) {
        r.takeHardwareRequest(PIN_CHANGE_IRQ);
        r.physEoi(r.irqHandle(PIN_CHANGE_IRQ));
        r.state.interruptToggles++;
        r.state.port ^= 0b10;
        r.state.shadow = r.state.port;
      },
      toggle(r) {
        if (fixed) r.cli();
        const current = r.state.port;
        r.currentVm();
        r.state.port = current ^ 0b01;
        r.sysVm();
        r.state.shadow = r.state.port;
        if (fixed) r.sti();
        checkPin1(r);
      },
      poll(r) {
        r.currentVm();
        r.sysVm();
      },
    },
  });
}

export function gpioShadowScenario(fixed: boolean): Scenario {
  return defineScenario({
    name: fixed ? 'gpio-lost-update (fixed)' : 'gpio-lost-update',
    description: "the pin-change interrupt's toggle is lost inside the driver's read-modify-write of the port",
    vms: 1,
    devices: [gpioDevice(fixed), ...BACKGROUND],
    mix: ZOO_MIX,
    steps: 40,
  });
}
