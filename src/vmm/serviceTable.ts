/**
 * The device service table: `VxDcall` and exported data. A device names, in
 * `exports`, the procedures other devices may call and the slots they may share. A call runs
 * the exporting device's procedure right here, in the caller's context: the same CPU context
 * (interrupt time stays interrupt time), the same register frame (arguments in, results out,
 * as the DDK's service headers list them), the same re-enter count. Only the device whose code
 * runs changes, so the callee's own service calls are attributed to the callee.
 *
 * Like a `VMMcall`, a `VxDcall` is a preemption point. A call to a device that is not loaded or
 * to a service it does not export is the caller's bug (the real loader would have refused the
 * VxD, or the call would fault): it is reported and not performed, carry set.
 */
import { EFLAGS_CF } from '../shared/clientRegs.js';
import type { AnyDeviceSpec, Slot } from './device.js';
import type { Machine, MachineDevice } from './machine.js';

export function vxdCall(vmm: Machine, caller: MachineDevice, deviceName: string, service: string): void {
  vmm.ticks += 1;
  vmm.preempt();
  const callee = vmm.devices.find((d) => d.name === deviceName);
  if (callee === undefined || !(callee.spec.exports?.services ?? []).includes(service)) {
    const what = callee === undefined ? `device ${deviceName} is not loaded` : `${deviceName} exports no service ${service}`;
    vmm.violation('unknownVxdService', 'device', `${caller.name} called VxDcall ${deviceName}_${service}: ${what}`, caller.name, 0);
    vmm.regs.eflags |= EFLAGS_CF;
    return;
  }
  callee.run(service);
}

export function vxdData(vmm: Machine, deviceName: string, name: string): Slot {
  const owner = vmm.devices.find((d) => d.name === deviceName);
  if (owner === undefined) throw new Error(`device ${deviceName} is not loaded (no data ${name} to share)`);
  if (!(owner.spec.exports?.data ?? []).includes(name)) throw new Error(`device ${deviceName} exports no data ${name}`);
  return owner.slot(name);
}

export interface UnresolvedImport {
  /** Where it is: device index, 'imports', kind, index in the list. */
  path: [number, 'imports', 'services' | 'data', number];
  ref: string;
  /** "CALLER imports VKD.Get_Version: VKD exports no service Get_Version" */
  message: string;
}

/** The first import of any device that names no export of a loaded device, or undefined. */
export function unresolvedImport(devices: readonly Pick<AnyDeviceSpec, 'name' | 'exports' | 'imports'>[]): UnresolvedImport | undefined {
  const byName = new Map(devices.map((d) => [d.name, d]));
  for (const [index, device] of devices.entries()) {
    for (const kind of ['services', 'data'] as const) {
      for (const [at, ref] of (device.imports?.[kind] ?? []).entries()) {
        const dot = ref.indexOf('.');
        const ownerName = ref.slice(0, dot);
        const name = ref.slice(dot + 1);
        const owner = byName.get(ownerName);
        let why: string | undefined;
        if (dot <= 0) why = 'not DEVICE.Name';
        else if (owner === undefined) why = `no device ${ownerName} in the scenario`;
        else if (!(owner.exports?.[kind] ?? []).includes(name)) why = `${owner.name} exports no ${kind === 'services' ? 'service' : 'data'} ${name}`;
        if (why !== undefined) return { path: [index, 'imports', kind, at], ref, message: `${device.name} imports ${ref}: ${why}` };
      }
    }
  }
  return undefined;
}
