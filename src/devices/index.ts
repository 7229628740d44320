/** The built-in machine: the devices the default scenario runs. */
import type { AnyDeviceSpec } from '../vmm/device.js';
import { disk } from './disk.js';
import { display } from './display.js';
import { dosmgr } from './dosmgr.js';
import { keyboard } from './keyboard.js';
import { mouse } from './mouse.js';
import { serial } from './serial.js';
import { timer } from './timer.js';

/**
 * Frozen through (their procedure tables, IRQ lines, slots, control maps): a scenario module that
 * imports them shares these objects with every other scenario on its thread, and a write to one
 * (`timer.irqs[0].meanIntervalTicks = 1`) changed the built-in machine for all of them, with no
 * word said.
 */
function frozenThrough<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  for (const inner of Object.values(value)) frozenThrough(inner);
  return value;
}

for (const device of [disk, display, dosmgr, keyboard, mouse, serial, timer]) frozenThrough(device);

export { disk, display, dosmgr, keyboard, mouse, serial, timer };

export const BUILTIN_DEVICES: readonly AnyDeviceSpec[] = Object.freeze([timer, keyboard, serial, disk, mouse, dosmgr, display]);
