/**
 * Device templates for random machines: small VxDs that use the global, VM and priority event
 * services with the DDK's idioms (the saved handle zeroed first thing in the callback; cancels
 * with `xor esi, esi / xchg [saved], esi`), on shareable IRQ lines, at a given IRQ rate. A
 * property test draws a few, with random lines and rates, and adds built-in devices.
 */
import fc from 'fast-check';
import { BUILTIN_DEVICES } from '../../src/devices/index.js';
import { PEF, VPICD_OPT } from '../../src/vmm/constants.js';
import type { AnyDeviceSpec } from '../../src/vmm/device.js';
import { bump, testDevice, type TestRing0 } from './devices.js';

/** Lines the built-in devices leave free (timer 0, keyboard 1, serial 4, mouse 12, disk 14 are taken). */
export const FREE_IRQS = [3, 5, 6, 7, 8, 9, 10, 11, 13, 15] as const;

export type Template =
  | { kind: 'global'; irq: number; meanIntervalTicks: number; sti: boolean }
  | { kind: 'vm'; irq: number; meanIntervalTicks: number }
  | { kind: 'priority'; irq: number; meanIntervalTicks: number; boost: number; flags: number; timeoutMs: number };

/** Takes this device's own request on a shared line; false: not ours, let the next sharer look. */
function claim(r: TestRing0, irq: number): boolean {
  if (!r.takeHardwareRequest(irq)) return false;
  r.physEoi(r.irqHandle(irq));
  return true;
}

/** The nth live VM, round-robin (devices pick targets from a counter, deterministically). */
function pickVm(r: TestRing0, n: number): number {
  const vms = r.vmHandles();
  return vms[n % vms.length]!;
}

function globalDevice(name: string, t: Extract<Template, { kind: 'global' }>): AnyDeviceSpec {
  return testDevice(name, {
    hwInt(r) {
      if (!claim(r, t.irq)) return false;
      if (t.sti) r.sti();
      r.cancelGlobalEvent(r.slot('saved').xchg(0));
      const handle = r.callGlobalEvent('deliver', 0);
      if (handle !== 0) r.slot('saved').write(handle);
      if (t.sti) r.cli();
      return true;
    },
    deliver(r) {
      r.slot('saved').write(0);
      bump(r, 'delivered');
    },
    write(r) {
      if (r.slot('tx').read() === 0) r.slot('tx').write(r.scheduleGlobalEvent('txDone', 0));
    },
    txDone: (r) => r.slot('tx').write(0),
    close: (r) => r.cancelGlobalEvent(r.slot('tx').xchg(0)),
  }, { irq: t.irq, irqOptions: VPICD_OPT.Can_Share, meanIntervalTicks: t.meanIntervalTicks, slots: ['saved', 'tx'], entries: ['write', 'close'] });
}

function vmEventDevice(name: string, t: Extract<Template, { kind: 'vm' }>): AnyDeviceSpec {
  const post = (r: TestRing0): void => {
    if (r.slot('saved').read() !== 0) return;
    bump(r, 'posted');
    r.slot('saved').write(r.callVmEvent(pickVm(r, r.state.posted!), 'notify', 0));
  };
  return testDevice(name, {
    hwInt(r) {
      if (!claim(r, t.irq)) return false;
      post(r);
      return true;
    },
    post,
    abort: (r) => r.cancelVmEvent(r.currentVm(), r.slot('saved').xchg(0)),
    notify(r) {
      r.slot('saved').write(0);
      bump(r, 'notified');
      r.scheduleGlobalEvent('followUp', 0); // an event scheduled from a callback
    },
    followUp: (r) => bump(r, 'followUps'),
  }, { irq: t.irq, irqOptions: VPICD_OPT.Can_Share, meanIntervalTicks: t.meanIntervalTicks, entries: ['post', 'abort'] });
}

function priorityDevice(name: string, t: Extract<Template, { kind: 'priority' }>): AnyDeviceSpec {
  return testDevice(name, {
    hwInt(r) {
      if (!claim(r, t.irq)) return false;
      if (r.slot('saved').read() !== 0) return true;
      bump(r, 'requested');
      const handle = r.callPriorityVmEvent({
        boost: t.boost, vm: pickVm(r, r.state.requested!), flags: t.flags, callback: 'run', refData: 0, timeoutMs: t.timeoutMs,
      });
      r.slot('saved').write(handle);
      return true;
    },
    // Cancel_Priority_VM_Event is synchronous: only from a trap.
    cancel: (r) => r.cancelPriorityVmEvent(r.slot('saved').xchg(0)),
    nest: (r) => r.execNested(),
    run(r) {
      r.slot('saved').write(0);
      bump(r, r.carry ? 'timedOut' : 'ran');
    },
  }, { irq: t.irq, irqOptions: VPICD_OPT.Can_Share, meanIntervalTicks: t.meanIntervalTicks, entries: ['cancel', 'nest'] });
}

export function buildDevice(name: string, t: Template): AnyDeviceSpec {
  switch (t.kind) {
    case 'global': return globalDevice(name, t);
    case 'vm': return vmEventDevice(name, t);
    case 'priority': return priorityDevice(name, t);
  }
}

const irq = fc.constantFrom(...FREE_IRQS);
const rate = fc.integer({ min: 150, max: 5000 });
/** Any valid PEF combination (a boost above Critical_Section_Boost with Wait_Not_Crit is a device bug, allowed here). */
const flags = fc.subarray([PEF.Wait_For_STI, PEF.Wait_Not_Crit, PEF.Dont_Unboost, PEF.Always_Sched, PEF.Time_Out, PEF.Wait_Not_HW_Int, PEF.Wait_Not_Nested_Exec, PEF.Wait_In_PM, PEF.Process_Last])
  .map((bits) => bits.reduce((a, b) => a | b, 0));

export const templateArb: fc.Arbitrary<Template> = fc.oneof(
  fc.record({ kind: fc.constant('global' as const), irq, meanIntervalTicks: rate, sti: fc.boolean() }),
  fc.record({ kind: fc.constant('vm' as const), irq, meanIntervalTicks: rate }),
  fc.record({
    kind: fc.constant('priority' as const), irq, meanIntervalTicks: rate,
    boost: fc.constantFrom(0, 0x10, 0x1000, 0x400000), flags, timeoutMs: fc.integer({ min: 0, max: 5 }),
  }),
);

/** A random machine: some built-in devices and a few templates. */
export const devicesArb: fc.Arbitrary<AnyDeviceSpec[]> = fc
  .record({ builtins: fc.subarray([...BUILTIN_DEVICES]), templates: fc.array(templateArb, { minLength: 1, maxLength: 4 }) })
  .map(({ builtins, templates }) => [...builtins, ...templates.map((t, i) => buildDevice(`${t.kind}${i}`, t))]);
