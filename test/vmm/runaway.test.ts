// SPEC §7 device bugs: "device code that never returns (a runaway loop: the run must end with a
// report naming the device and procedure, never hang)". The VMM counts the service calls of each
// ring-0 entry (ring0Watch.ts): one past the budget ends the run with RunawayDevice, whose
// message names the device and the procedure.
import { afterEach, describe, expect, it } from 'vitest';
import { defineDevice } from '../../src/vmm/device.js';
import { DeviceCodeError, RunawayDevice, isRunawayMessage, ring0Watch, SERVICE_CALLS_PER_ENTRY_MAX, type Ring0Where } from '../../src/vmm/ring0Watch.js';
import { machine } from '../support/machine.js';

const BUDGET = 1000;

function loopingDevice(calls: { n: number }) {
  return defineDevice<Record<string, number>>({
    name: 'spinner', state: () => ({}), entries: ['spin', 'brief'],
    procs: {
      spin(r) {
        for (;;) {
          calls.n++;
          r.reenterCount();
        }
      },
      brief(r) {
        for (let i = 0; i < BUDGET; i++) r.reenterCount();
      },
    },
  });
}

describe('"device code that never returns ... never hang" (SPEC §7)', () => {
  afterEach(() => ring0Watch.reset(SERVICE_CALLS_PER_ENTRY_MAX));

  it('a procedure that loops on service calls ends the run at budget + 1 calls, naming the device and procedure', () => {
    const calls = { n: 0 };
    const m = machine({ devices: [loopingDevice(calls)] });
    ring0Watch.reset(BUDGET);
    let thrown: unknown;
    try {
      m.runOps(1, m.trap('spinner', 'spin'));
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(RunawayDevice);
    expect((thrown as RunawayDevice).where).toMatchObject({ device: 'spinner', proc: 'spin' });
    expect((thrown as Error).message).toMatch(/device spinner, procedure spin: 1000 service calls/);
    // Stopped at the first call past the budget, not later.
    expect(calls.n).toBe(BUDGET + 1);
    // Another thread sees only the message (a structured clone): it is still told apart from a throw.
    expect(isRunawayMessage((thrown as Error).message)).toBe(true);
    const threw = new DeviceCodeError({ device: 'spinner', proc: 'spin' } as Ring0Where, new Error('service calls in one ring-0 entry'));
    expect(isRunawayMessage(threw.message)).toBe(false);
  });

  it('a procedure that makes exactly the budget of calls returns normally', () => {
    const m = machine({ devices: [loopingDevice({ n: 0 })] });
    ring0Watch.reset(BUDGET);
    expect(() => m.runOps(1, m.trap('spinner', 'brief'))).not.toThrow();
    expect(m.finish().violations).toEqual([]);
  });
});
