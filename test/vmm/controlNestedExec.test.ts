// Nested execution (Exec_Int) in System_Control messages, as each DDK page allows it:
// Sys_Critical_Init: "the Simulate_Int and Exec_Int services must not be used"; VM_Critical_Init:
// the device "must not use the Simulate_Int or Exec_Int services in the specified virtual
// machine": a device bug (nestedExecForbidden). VM_Init: "The virtual device can use the
// Simulate_Int and Exec_Int services in the specified virtual machine", but the model sends it
// with the running VM current (README "Control messages"): a warning names both VMs. An outside
// audit met both in silence.
import { describe, expect, it } from 'vitest';
import type { ControlMessage } from '../../src/vmm/constants.js';
import { defineDevice } from '../../src/vmm/device.js';
import { machine } from '../support/machine.js';

function nester(messages: readonly ControlMessage[]) {
  return defineDevice<Record<string, number>>({
    name: 'nest',
    state: () => ({}),
    control: Object.fromEntries(messages.map((m) => [m, 'nestHere'])),
    entries: [],
    procs: { nestHere: (r) => r.execNested() },
  });
}

describe('nested execution in control messages', () => {
  it('in Sys_Critical_Init and VM_Critical_Init: a device bug each, naming the message; in Device_Init and Sys_VM_Init: allowed', () => {
    const m = machine({ devices: [nester(['Sys_Critical_Init', 'Device_Init', 'Sys_VM_Init', 'VM_Critical_Init'])], config: { vms: 2 } });
    expect(m.violations().map((v) => [v.kind, v.severity, v.message])).toEqual([
      ['nestedExecForbidden', 'device', 'nest began nested execution in Sys_Critical_Init, whose DDK page says the Simulate_Int and Exec_Int services must not be used there'],
      ['nestedExecForbidden', 'device', 'nest began nested execution in VM_Critical_Init, whose DDK page says the Simulate_Int and Exec_Int services must not be used there'],
    ]);
    expect(m.of('nestedExec').filter((r) => r.phase === 'enter')).toHaveLength(4); // run as asked
  });

  it('in VM_Init of a VM that is not current: a warning that it ran in the current VM; no violation', () => {
    const m = machine({ devices: [nester(['VM_Init'])], config: { vms: 3 } });
    expect(m.violations()).toEqual([]);
    expect(m.checker.warnings.map((w) => [w.kind, w.message])).toEqual([2, 3].map((vm) => [
      'vmInitNestedElsewhere',
      `nested execution in VM_Init of VM ${vm} ran in VM 1, the VM current there: the model sends VM_Init with the running VM current, where the DDK lets a device use Exec_Int in the new one (README "Control messages")`,
    ]));
  });

  it('in Sys_VM_Init (the system VM, current): no warning', () => {
    const m = machine({ devices: [nester(['Sys_VM_Init'])], config: { vms: 2 } });
    expect(m.checker.warnings).toEqual([]);
    expect(m.violations()).toEqual([]);
  });
});
