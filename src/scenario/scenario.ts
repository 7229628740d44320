/**
 * A scenario: the machine a run simulates. VMs, devices (built-in or the user's own), the
 * workload mix, VM lifecycle steps, and optional user invariants over device state.
 */
import type { WorkloadMix } from '../actors/workload.js';
import type { VmmConfig } from '../vmm/config.js';
import type { AnyDeviceSpec } from '../vmm/device.js';

/** What an invariant may look at: device state, read-only, after any step. */
export interface RunView {
  device<S>(name: string): S;
  readonly step: number;
  readonly ticks: number;
}

export interface ScenarioInvariant {
  name: string;
  /** A message when the invariant is broken, undefined when it holds. */
  check(view: RunView): string | undefined;
  /** Check only at the end of the run (for "eventually" properties). Default: after every step. */
  atEnd?: boolean;
}

export interface LifecycleStep {
  /** Client step (0-based) at which it happens. */
  atStep: number;
  /** `focus`: Set_Device_Focus to the VM (the shell's job when the user switches windows). */
  op: 'destroy' | 'create' | 'focus';
  /** For destroy and focus: the VM id. */
  vm?: number;
}

export interface Scenario {
  name: string;
  description?: string;
  vms: number;
  devices: readonly AnyDeviceSpec[];
  config?: Partial<Omit<VmmConfig, 'vms'>>;
  mix?: Partial<WorkloadMix>;
  lifecycle?: readonly LifecycleStep[];
  invariants?: readonly ScenarioInvariant[];
  /** Default client steps of one execution (explore) or run. */
  steps?: number;
}

export function defineScenario(scenario: Scenario): Scenario {
  if (!Number.isInteger(scenario.vms) || scenario.vms < 1 || scenario.vms > 64) {
    throw new Error(`scenario ${scenario.name}: vms must be an integer from 1 to 64`);
  }
  const names = new Set<string>();
  for (const device of scenario.devices) {
    if (names.has(device.name)) throw new Error(`scenario ${scenario.name}: two devices named ${device.name}`);
    names.add(device.name);
  }
  return scenario;
}
