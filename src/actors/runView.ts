/**
 * The read-only view scenario invariants get of a running machine: device state, and every VM's
 * client registers and execution priority. Reads only; nothing here changes the machine, so an
 * invariant cannot change the run it checks: device state is handed behind a read-only proxy
 * (readOnlyState.ts: a write throws, naming the field), VMs as getters over the machine, which
 * itself is held in private fields (`#vmm`), out of the invariant's reach.
 *
 * Classes with plain Maps, not an object literal of getter closures with a WeakMap of VM views:
 * measured (`node --trace-gc-nvp`), that shape kept every finished machine alive through
 * young-generation collections, so each run of a campaign was promoted whole into the old
 * generation (42 KB per execution). Prototype getters capture nothing, and a Map dies with its
 * machine.
 */
import type { RunView, VmView } from '../scenario/scenario.js';
import { ClientRegAlias, type ClientRegAliasName, type ClientRegName } from '../shared/clientRegs.js';
import type { DeviceRuntime } from '../vmm/deviceRuntime.js';
import type { VmState } from '../vmm/vm.js';
import type { Vmm } from '../vmm/vmm.js';
import { ReadOnlyStates } from './readOnlyState.js';

export function runView(vmm: Vmm): RunView & { step: number } {
  return new MachineView(vmm);
}

class MachineView implements RunView {
  step = 0;
  readonly #vmm: Vmm;
  #byName: Map<string, DeviceRuntime> | null = null;
  readonly #views = new Map<VmState, VmView>();
  readonly #states = new ReadOnlyStates();

  constructor(vmm: Vmm) {
    this.#vmm = vmm;
  }

  get ticks(): number {
    return this.#vmm.ticks;
  }

  get currentVm(): number {
    return this.#vmm.current.id;
  }

  device<S>(name: string): S {
    this.#byName ??= new Map(this.#vmm.devices.map((d) => [d.name, d]));
    const device = this.#byName.get(name);
    if (device === undefined) throw new Error(`no device named ${name}`);
    return this.#states.of(device.state as S, name);
  }

  vms(): VmView[] {
    return this.#vmm.vms.map((vm) => this.#viewOf(vm));
  }

  vm(id: number): VmView | undefined {
    const vm = this.#vmm.vms[id - 1];
    return vm === undefined ? undefined : this.#viewOf(vm);
  }

  #viewOf(vm: VmState): VmView {
    let view = this.#views.get(vm);
    if (view === undefined) this.#views.set(vm, (view = new MachineVmView(this.#vmm, vm)));
    return view;
  }
}

class MachineVmView implements VmView {
  readonly id: number;
  readonly handle: number;
  readonly #vmm: Vmm;
  readonly #vm: VmState;

  constructor(vmm: Vmm, vm: VmState) {
    this.#vmm = vmm;
    this.#vm = vm;
    this.id = vm.id;
    this.handle = vm.handle;
  }

  get alive(): boolean {
    return this.#vm.alive;
  }
  get suspended(): boolean {
    return this.#vm.suspended;
  }
  get boost(): number {
    return this.#vm.boost;
  }
  get execPriority(): number {
    return this.#vmm.execPriority(this.#vm);
  }
  get nestedExec(): number {
    return this.#vm.nestedExec;
  }
  client(name: ClientRegName | ClientRegAliasName): number {
    if (Object.hasOwn(ClientRegAlias, name)) return this.#vm.client.getAlias(name as ClientRegAliasName);
    return this.#vm.client.get(name as ClientRegName);
  }
}
