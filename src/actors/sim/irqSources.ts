/** The IRQ sources of a scenario, in the order the VMM numbers them (device order, then IRQ). */
import type { AnyDeviceSpec } from '../../vmm/device.js';

export interface SourceInfo {
  device: string;
  irq: number;
  meanIntervalTicks: number;
}

export function irqSources(devices: readonly AnyDeviceSpec[]): SourceInfo[] {
  return devices.flatMap((spec) => (spec.irqs ?? []).map((d) => ({ device: spec.name, irq: d.irq, meanIntervalTicks: d.meanIntervalTicks })));
}
