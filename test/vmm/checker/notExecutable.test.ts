// SPEC §5b, README "A destroyed VM", DDK VM_Not_Executeable: "notifies the virtual device that
// the virtual machine is no longer capable of executing"; VM_Not_Executeable and Destroy_VM come
// "with another VM current". The runtime checker derives this from the records: a VM that was
// sent VM_Not_Executeable (or Destroy_VM, or was destroyed) is not current then, is never
// switched to again, and none of its code runs after.
import { describe, expect, it } from 'vitest';
import type { HistoryRecord } from '../../../src/vmm/history.js';
import { destroyVm } from '../../../src/vmm/services/vmControl.js';
import { defineDevice } from '../../../src/vmm/device.js';
import { Boost } from '../../../src/vmm/constants.js';
import { machine } from '../../support/machine.js';
import { check, op, rec, taskSwitch } from './streams.js';

const control = (message: 'VM_Terminate' | 'VM_Not_Executeable' | 'Destroy_VM', targetVm: number, phase: 'enter' | 'exit' = 'enter') =>
  rec('control', { message, phase, targetVm, device: 'dev' });
/** The three destruction messages of VM 2, each entered and left. */
const messages = (current: number) => [
  control('VM_Terminate', 2), control('VM_Terminate', 2, 'exit'),
  ...(current === 2 ? [] : [taskSwitch(2, current, { vm: current })]),
  control('VM_Not_Executeable', 2), control('VM_Not_Executeable', 2, 'exit'),
  control('Destroy_VM', 2), control('Destroy_VM', 2, 'exit'),
  rec('vmLifecycle', { op: 'destroy', targetVm: 2 }),
];
const kinds = (stream: Partial<HistoryRecord>[]): string[] => check(stream).violations.map((v) => v.kind);
const run = op({ op: 'run', ticks: 1 });

describe('"no longer capable of executing" (VM_Not_Executeable), from the records', () => {
  it('VM 2 current, the VMM switches away before VM_Not_Executeable, VM 1 runs on: clean', () => {
    expect(kinds([taskSwitch(1, 2, { vm: 2 }), run, ...messages(1), run])).toEqual([]);
  });

  it('the dying VM still current at VM_Not_Executeable: a VMM bug (reported once)', () => {
    expect(kinds([taskSwitch(1, 2, { vm: 2 }), ...messages(2)])).toEqual(['notExecutableCurrent']);
  });

  it('a task switch to the VM after VM_Not_Executeable: a VMM bug', () => {
    const stream = [taskSwitch(1, 2, { vm: 2 }), control('VM_Terminate', 2), control('VM_Terminate', 2, 'exit'), taskSwitch(2, 1),
      control('VM_Not_Executeable', 2), control('VM_Not_Executeable', 2, 'exit'), taskSwitch(1, 2, { vm: 2 })];
    expect(kinds(stream)).toEqual(['notExecutableScheduled']);
  });

  it('its code running after VM_Not_Executeable: a VMM bug', () => {
    expect(kinds([taskSwitch(1, 2, { vm: 2 }), ...messages(2), run])).toEqual(['notExecutableCurrent', 'notExecutableScheduled']);
  });

  it('a VM destroyed while no device handles the messages: its destruction alone counts', () => {
    expect(kinds([taskSwitch(1, 2, { vm: 2 }), rec('vmLifecycle', { op: 'destroy', targetVm: 2 })])).toEqual(['notExecutableCurrent']);
  });

  it('a VM created again with the same id may run', () => {
    expect(kinds([taskSwitch(1, 2, { vm: 2 }), ...messages(1), rec('vmLifecycle', { op: 'create', targetVm: 2 }), taskSwitch(1, 2, { vm: 2 }), run])).toEqual([]);
  });
});

describe('the model, read by the checker: a destroyed VM never runs again', () => {
  const booster = defineDevice<Record<string, number>>({
    name: 'booster', state: () => ({}), entries: ['boost2'],
    control: { VM_Not_Executeable: 'onNotExecutable' },
    procs: {
      boost2: (r) => r.adjustExecPriority(r.vmHandles()[1]!, Boost.High_Pri_Device_Boost),
      // The dying VM boosted far above the others: it still must not run.
      onNotExecutable: (r) => r.adjustExecPriority(r.regs.ebx, Boost.Critical_Section_Boost),
    },
  });

  it('the running VM destroyed, then boosted in VM_Not_Executeable: no notExecutable verdict, and it never runs', () => {
    const m = machine({ devices: [booster], config: { vms: 3, timesliceTicks: 1e9 } });
    m.runOps(1, m.trap('booster', 'boost2'));
    expect(m.vmm.current.id).toBe(2);
    destroyVm(m.vmm, 2);
    m.step(20);
    const report = m.finish();
    expect(report.violations.filter((v) => v.kind.startsWith('notExecutable'))).toEqual([]);
    expect(report.vmmBugs).toBe(0);
    expect(m.of('taskSwitch').filter((s) => s.to === 2)).toHaveLength(1);
  });
});
