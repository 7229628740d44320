// The device service table (README "Device service table"): a device exports services other
// devices call with `VxDcall` and data they share. The DDK's VxDs do this all the time: VKD's
// `VKD_Define_Hot_Key, SERVICE`, VPICD's `VxDCall VPICD_Physically_Unmask` from VKD_System_Exit.
// A call runs "in the caller's context (same CPU context, same register frame)" and is "a
// preemption point like any service call".
import { describe, expect, it } from 'vitest';
import { validateScenario } from '../../src/scenario/validate.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { EFLAGS_CF } from '../../src/shared/clientRegs.js';
import { defineDevice } from '../../src/vmm/device.js';
import { ackIrq, type Bag, type TestProc } from '../support/devices.js';
import { machine, type Machine } from '../support/machine.js';

const VERSION = 0x0300;

/** VKD-like: exports Get_Version (EAX out) and Bump (a sync service), and its owner word. */
function keyboard(extra: Record<string, TestProc> = {}) {
  return defineDevice<Bag>({
    name: 'VKD',
    state: () => ({}),
    slots: ['owner', 'private'],
    exports: { services: ['Get_Version', 'Enter_Crit'], data: ['owner'] },
    procs: {
      Get_Version(r) {
        r.state.called = (r.state.called ?? 0) + 1;
        r.state.sawEbx = r.regs.ebx;
        r.regs.eax = VERSION;
        r.regs.eflags &= ~EFLAGS_CF;
      },
      Enter_Crit: (r) => r.beginCriticalSection(),
      Internal: () => {},
      ...extra,
    },
  });
}

/** The caller: traps run `body` in ring 0; its IRQ 5 handler may VxDcall too. */
function caller(body: Record<string, TestProc>) {
  return defineDevice<Bag>({
    name: 'CALLER',
    state: () => ({}),
    irqs: [{ irq: 5, hwIntProc: 'hwInt', meanIntervalTicks: 1000 }],
    entries: Object.keys(body).filter((k) => k !== 'hwInt'),
    imports: { services: ['VKD.Get_Version'], data: ['VKD.owner'] },
    procs: { hwInt: (r) => (ackIrq(r, 5), true), ...body },
  });
}

describe('VxDcall', () => {
  it('runs the exported procedure with the caller\'s register frame: EBX in, EAX out', () => {
    const m = machine({
      devices: [keyboard(), caller({
        get(r) {
          r.regs.ebx = 0x1234;
          r.vxdCall('VKD', 'Get_Version');
          r.state.version = r.regs.eax;
        },
      })],
    });
    m.runOps(1, m.trap('CALLER', 'get'));
    expect(m.state<Bag>('VKD').sawEbx).toBe(0x1234);
    expect(m.state<Bag>('CALLER').version).toBe(VERSION);
    expect(m.violations()).toEqual([]);
  });

  it('is a preemption point: one more IRQ question than the callee\'s own service calls', () => {
    let m: Machine | undefined;
    const m0 = machine({
      devices: [keyboard(), caller({
        get(r) {
          const before = m!.choices.points.length;
          r.vxdCall('VKD', 'Get_Version');
          r.state.points = m!.choices.points.length - before;
        },
      })],
    });
    m = m0;
    m.runOps(1, m.trap('CALLER', 'get'));
    expect(m.state<Bag>('CALLER').points).toBe(1);
  });

  it('keeps the caller\'s CPU context: a synchronous service the callee makes from a Hw_Int_Proc is refused and blamed on the callee', () => {
    const m = machine({
      devices: [keyboard(), caller({
        hwInt(r) {
          ackIrq(r, 5);
          r.vxdCall('VKD', 'Enter_Crit');
          return true;
        },
        idle: () => {},
      })],
    });
    m.choices.irqAt(m.source('CALLER', 5));
    m.runOps(1, m.trap('CALLER', 'idle'));
    const refused = m.violations('syncServiceAtInterrupt');
    expect(refused).toHaveLength(1);
    expect(refused[0]!.device).toBe('VKD');
  });

  it('a service the device does not export (or a device not loaded) is the caller\'s bug, carry set, and does not run', () => {
    const m = machine({
      devices: [keyboard({ Internal: (r) => void (r.state.internal = 1) }), caller({
        internal(r) {
          r.vxdCall('VKD', 'Internal');
          r.state.carry = r.regs.eflags & EFLAGS_CF;
        },
        missing: (r) => r.vxdCall('VMD', 'Get_Version'),
      })],
    });
    m.runOps(1, m.trap('CALLER', 'internal'), m.trap('CALLER', 'missing'));
    const bugs = m.violations('unknownVxdService');
    expect(bugs.map((v) => v.device)).toEqual(['CALLER', 'CALLER']);
    expect(bugs[0]!.message).toContain('VKD exports no service Internal');
    expect(bugs[1]!.message).toContain('device VMD is not loaded');
    expect(m.state<Bag>('VKD').internal).toBeUndefined();
    expect(m.state<Bag>('CALLER').carry).toBe(EFLAGS_CF);
  });
});

describe('exported data', () => {
  it('another device reads and xchg\'s the same word the owner writes', () => {
    const m = machine({
      devices: [keyboard({ setOwner: (r) => r.slot('owner').write(7) }), caller({
        take(r) {
          r.state.old = r.vxdData('VKD', 'owner').xchg(9);
        },
      })],
    });
    m.vmm.devices[0]!.run('setOwner');
    m.runOps(1, m.trap('CALLER', 'take'));
    expect(m.state<Bag>('CALLER').old).toBe(7);
    expect(m.vmm.devices[0]!.slot('owner').read()).toBe(9);
  });

  it('a slot that is not exported cannot be reached', () => {
    const m = machine({ devices: [keyboard(), caller({ peek: (r) => void r.vxdData('VKD', 'private').read() })] });
    expect(() => m.runOps(1, m.trap('CALLER', 'peek'))).toThrow(/VKD exports no data private/);
  });
});

describe('checked when the scenario loads', () => {
  const base = { name: 's', vms: 2 };

  it('defineDevice refuses an export with no procedure or no slot', () => {
    expect(() => defineDevice({ name: 'X', state: () => ({}), procs: {}, exports: { services: ['Nope'] } })).toThrow(/exported service Nope has no procedure/);
    expect(() => defineDevice({ name: 'X', state: () => ({}), procs: {}, exports: { data: ['w'] } })).toThrow(/exported data w is not one of its slots/);
  });

  it('an import of a device that is not in the scenario, or of a service it does not export, is one clear line', () => {
    expect(() => defineScenario({ ...base, devices: [caller({})] })).toThrow('scenario s: CALLER imports VKD.Get_Version: no device VKD in the scenario');
    const noVersion = defineDevice({ ...keyboard(), exports: { services: ['Enter_Crit'], data: ['owner'] } });
    expect(() => validateScenario({ ...base, devices: [noVersion, caller({})] }, 'x.ts')).toThrow('x.ts: devices.1.imports.services.0 = "VKD.Get_Version": CALLER imports VKD.Get_Version: VKD exports no service Get_Version');
    expect(validateScenario({ ...base, devices: [keyboard(), caller({})] }, 'x.ts').name).toBe('s');
  });

  it('validation names an export that is no procedure, and a malformed import', () => {
    const plain = { name: 'X', state: () => ({}), procs: { a: () => {} } };
    expect(() => validateScenario({ ...base, devices: [{ ...plain, exports: { services: ['b'] } }] }, 'x.ts')).toThrow('x.ts: devices.0.exports.services.0 = "b": names no procedure of device X');
    expect(() => validateScenario({ ...base, devices: [{ ...plain, imports: { services: ['VKD'] } }] }, 'x.ts')).toThrow(/devices\.0\.imports\.services\.0 = "VKD": not DEVICE\.Name/);
  });
});
