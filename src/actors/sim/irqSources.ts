/** The IRQ sources of a scenario, in the order the VMM numbers them (device order, then IRQ). */
import type { AnyDeviceSpec } from '../../vmm/device.js';

export interface SourceInfo {
  device: string;
  irq: number;
  meanIntervalTicks: number;
}

/**
 * Per device list (and its length, should a list grow): a campaign asks for the same scenario's
 * sources once per execution.
 */
const cache = new WeakMap<readonly AnyDeviceSpec[], { devices: number; sources: readonly SourceInfo[] }>();

export function irqSources(devices: readonly AnyDeviceSpec[]): readonly SourceInfo[] {
  const known = cache.get(devices);
  if (known !== undefined && known.devices === devices.length) return known.sources;
  const sources = Object.freeze(devices.flatMap((spec) => (spec.irqs ?? []).map((d) => Object.freeze({ device: spec.name, irq: d.irq, meanIntervalTicks: d.meanIntervalTicks }))));
  cache.set(devices, { devices: devices.length, sources });
  return sources;
}
