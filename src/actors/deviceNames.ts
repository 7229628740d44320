/**
 * The devices of the machine this thread runs now, told to whoever listens (a watcher on another
 * thread, which reads only indices from shared memory and needs the names for its report). Told
 * only when the list changes: a campaign builds thousands of machines of the same scenario.
 */
import type { AnyDeviceSpec } from '../vmm/device.js';

/** [device name, its procedure names in Object.keys order] per device. */
export type DeviceNames = [string, string[]][];

let last: readonly AnyDeviceSpec[] | null = null;
let listener: ((names: DeviceNames) => void) | null = null;

export function onDevices(callback: (names: DeviceNames) => void): void {
  listener = callback;
}

export function noteDevices(devices: readonly AnyDeviceSpec[]): void {
  if (devices === last || listener === null) return;
  last = devices;
  listener(deviceNamesOf(devices));
}

export function deviceNamesOf(devices: readonly AnyDeviceSpec[]): DeviceNames {
  return devices.map((d) => [d.name, Object.keys(d.procs)]);
}
