/** The built-in machine: the devices the default scenario runs. */
import type { AnyDeviceSpec } from '../vmm/device.js';
import { disk } from './disk.js';
import { display } from './display.js';
import { dosmgr } from './dosmgr.js';
import { keyboard } from './keyboard.js';
import { mouse } from './mouse.js';
import { serial } from './serial.js';
import { timer } from './timer.js';

export { disk, display, dosmgr, keyboard, mouse, serial, timer };

export const BUILTIN_DEVICES: readonly AnyDeviceSpec[] = [timer, keyboard, serial, disk, mouse, dosmgr, display];
