/**
 * Hand-written devices for tests: a device is a name, its procedures (closures the test writes,
 * so they can record what they saw) and, optionally, one IRQ whose Hw_Int_Proc is `hwInt`.
 * Every procedure is also a trap entry point (unless `entries` says otherwise), so a test can
 * trap into any of them by name.
 */
import { defineDevice, type DeviceProc, type DeviceSpec, type Ring0 } from '../../src/vmm/device.js';

/** Per-run device state: named counters. */
export type Bag = Record<string, number>;
export type TestRing0 = Ring0<Bag>;
export type TestProc = DeviceProc<Bag>;

export interface TestDeviceOptions {
  /** The IRQ this device virtualizes; its Hw_Int_Proc is the `hwInt` procedure. */
  irq?: number;
  /** VPICD_OPT bits of that IRQ. */
  irqOptions?: number;
  /** Names of the descriptor's other procedures, if the device has them. */
  virtIntProc?: string;
  eoiProc?: string;
  iretProc?: string;
  maskChangeProc?: string;
  iretTimeoutMs?: number;
  meanIntervalTicks?: number;
  slots?: string[];
  /** The procedures a VM may trap into; by default all of them. */
  entries?: string[];
}

export function testDevice(name: string, procs: Record<string, TestProc>, options: TestDeviceOptions = {}): DeviceSpec<Bag> {
  const irqs = options.irq === undefined ? [] : [{
    irq: options.irq,
    hwIntProc: 'hwInt',
    meanIntervalTicks: options.meanIntervalTicks ?? 1000,
    ...(options.irqOptions !== undefined ? { options: options.irqOptions } : {}),
    ...(options.virtIntProc !== undefined ? { virtIntProc: options.virtIntProc } : {}),
    ...(options.eoiProc !== undefined ? { eoiProc: options.eoiProc } : {}),
    ...(options.iretProc !== undefined ? { iretProc: options.iretProc } : {}),
    ...(options.maskChangeProc !== undefined ? { maskChangeProc: options.maskChangeProc } : {}),
    ...(options.iretTimeoutMs !== undefined ? { iretTimeoutMs: options.iretTimeoutMs } : {}),
  }];
  return defineDevice<Bag>({
    name,
    state: () => ({}),
    irqs,
    slots: options.slots ?? ['saved'],
    entries: options.entries ?? Object.keys(procs),
    procs,
  });
}

/** Adds one to a named counter of the device state. */
export function bump(r: TestRing0, counter: string): void {
  r.state[counter] = (r.state[counter] ?? 0) + 1;
}

/** The minimal Hw_Int_Proc prologue: take the hardware request and end the physical interrupt. */
export function ackIrq(r: TestRing0, irq: number): void {
  r.takeHardwareRequest(irq);
  r.physEoi(r.irqHandle(irq));
}

/** A copy of the ring-0 registers, for comparing before and after. */
export function regsOf(r: TestRing0): Record<string, number> {
  return { ...r.regs };
}
