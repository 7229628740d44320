/**
 * A scenario: the machine a run simulates. VMs, devices (built-in or the user's own), the
 * workload mix, VM lifecycle steps, and optional user invariants over device state.
 */
import type { WorkloadMix } from '../actors/workload.js';
import type { VmmConfig } from '../vmm/config.js';
import type { ClientRegAliasName, ClientRegName } from '../shared/clientRegs.js';
import type { AnyDeviceSpec } from '../vmm/device.js';
import { unresolvedImport } from '../vmm/serviceTable.js';

/**
 * One VM as an invariant sees it, read-only: its client registers (the Client_Reg_Struc the
 * VMM saved when it last entered ring 0) and the execution priority the scheduler reads.
 */
export interface VmView {
  readonly id: number;
  /** The VM handle (its control block's address), as device code sees it in EBX. */
  readonly handle: number;
  readonly alive: boolean;
  readonly suspended: boolean;
  /** The VM's boosts now applied (Adjust_Exec_Priority, priority events, VPICD). */
  readonly boost: number;
  /** What the scheduler compares: the boosts plus Cur_Run_VM_Boost for the time slicer's VM. */
  readonly execPriority: number;
  /** Nesting depth of Begin_Nest_Exec on this VM (0 outside nested execution). */
  readonly nestedExec: number;
  /** A client register by its Client_Reg_Struc name (`EAX`, `EFlags`…) or alias (`AX`, `AL`…). */
  client(name: ClientRegName | ClientRegAliasName): number;
}

/** What an invariant may look at: device state and every VM, read-only, after any step. */
export interface RunView {
  device<S>(name: string): S;
  /** Every VM created so far (destroyed ones too, `alive: false`), in id order. */
  vms(): readonly VmView[];
  /** The VM with this id (1 is the system VM), alive or not; undefined if never created. */
  vm(id: number): VmView | undefined;
  /** The id of the VM that is running now. */
  readonly currentVm: number;
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
  const unresolved = unresolvedImport(scenario.devices);
  if (unresolved !== undefined) throw new Error(`scenario ${scenario.name}: ${unresolved.message}`);
  return scenario;
}
