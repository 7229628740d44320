// What a callback address names, as the event records show it (src/vmm/dispatch.ts): a
// procedure's address names "device.proc" and runs it; any other value in ESI is a device bug,
// named by its 32-bit pattern (SPEC §7: "a callback address that is no procedure").
import { describe, expect, it } from 'vitest';
import { testDevice } from '../support/devices.js';
import { machine, type Machine } from '../support/machine.js';

/** A device whose `call` entry passes `address` as the callback address of Call_Global_Event. */
function setup(): { m: Machine; ran: string[]; callWith: (address: number) => void } {
  const ran: string[] = [];
  let address = 0;
  const dev = testDevice('dev', {
    call(r) {
      r.regs.esi = address;
      r.regs.edx = 7;
      r.vmmCall('Call_Global_Event');
    },
    cb: () => void ran.push('cb'),
    other: () => void ran.push('other'),
  }, { entries: ['call'] });
  const m = machine({ devices: [dev] });
  // Call_Global_Event with ESI = `to` (the VMM not re-entered: the callback is called now).
  const callWith = (to: number): void => {
    address = to;
    m.runOps(1, m.trap('dev', 'call'));
  };
  return { m, ran, callWith };
}

describe('callback addresses', () => {
  it('a procedure\'s address names device.proc in the calledNow, dispatch and return records, and runs it', () => {
    const { m, ran, callWith } = setup();
    const device = m.vmm.devices[0]!;
    callWith(device.callbackAddress('cb'));
    callWith(device.callbackAddress('other'));
    callWith(device.callbackAddress('cb'));
    expect(ran).toEqual(['cb', 'other', 'cb']);
    expect(m.of('calledNow').map((r) => r.callback)).toEqual(['dev.cb', 'dev.other', 'dev.cb']);
    expect(m.of('dispatch').map((r) => r.callback)).toEqual(['dev.cb', 'dev.other', 'dev.cb']);
    expect(m.of('return').map((r) => r.callback)).toEqual(['dev.cb', 'dev.other', 'dev.cb']);
    expect(m.violations('badCallback')).toEqual([]);
  });

  it('a 32-bit value that is no procedure\'s address is a badCallback, named by its 32-bit pattern', () => {
    const { m, ran, callWith } = setup();
    // -5 and 0xfffffffb have one 32-bit pattern.
    for (const address of [0xfffffffb, -5, 0xfffffffb, 0x12345678]) callWith(address);
    expect(ran).toEqual([]);
    expect(m.of('dispatch').map((r) => r.callback)).toEqual(['0xfffffffb', '0xfffffffb', '0xfffffffb', '0x12345678']);
    expect(m.violations('badCallback').map((v) => v.message)).toEqual([
      'callback address 0xfffffffb is no procedure', 'callback address 0xfffffffb is no procedure',
      'callback address 0xfffffffb is no procedure', 'callback address 0x12345678 is no procedure',
    ]);
  });

  // 2.5 and 2^32 + 16 are no 32-bit values at all: no register holds them, and the raw call
  // refuses them as the device's error (they were taken by their low 32 bits, as 0x2 and 0x10).
  it.each([2.5, 2 ** 32 + 16])('ESI = %s, no 32-bit value: the raw call throws in the device\'s code, naming the register', (address) => {
    const { m, ran, callWith } = setup();
    expect(() => callWith(address)).toThrow(`vmmCall('Call_Global_Event'): r.regs.esi must be a 32-bit integer (a register), got ${address}`);
    expect(ran).toEqual([]);
    expect(m.of('dispatch')).toEqual([]);
  });

});
