// The Client_Reg_Struc layout (SPEC §2): "0x6C bytes, with this layout (offsets in hex)" and
// "Byte and word aliases (AL at 1C, AH at 1D, IP at 24, ...) follow from it."
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CLIENT_REG_STRUC_BYTES, ClientRegAlias, ClientRegOffset, ClientRegs, type ClientRegName } from '../../src/shared/clientRegs.js';

/** SPEC §2, copied from the text. */
const SPEC_OFFSETS: Record<string, number> = {
  EDI: 0x00, ESI: 0x04, EBP: 0x08, Reserved: 0x0c, EBX: 0x10, EDX: 0x14, ECX: 0x18, EAX: 0x1c, Error: 0x20,
  EIP: 0x24, CS: 0x28, EFlags: 0x2c, ESP: 0x30, SS: 0x34, ES: 0x38, DS: 0x3c, FS: 0x40, GS: 0x44,
  Alt_EIP: 0x48, Alt_CS: 0x4c, Alt_EFlags: 0x50, Alt_ESP: 0x54, Alt_SS: 0x58, Alt_ES: 0x5c, Alt_DS: 0x60,
  Alt_FS: 0x64, Alt_GS: 0x68,
};

const NAMES = Object.keys(SPEC_OFFSETS) as ClientRegName[];

describe('Client_Reg_Struc', () => {
  it('is 0x6C bytes with every offset SPEC §2 lists, and no other field', () => {
    expect(CLIENT_REG_STRUC_BYTES).toBe(0x6c);
    expect(ClientRegOffset).toEqual(SPEC_OFFSETS);
  });

  it.each(NAMES)('%s is the little-endian dword at its offset', (name) => {
    const buffer = new ArrayBuffer(CLIENT_REG_STRUC_BYTES);
    const regs = new ClientRegs(buffer);
    regs.set(name, 0x89abcdef);
    const bytes = new Uint8Array(buffer);
    const at = SPEC_OFFSETS[name]!;
    expect([...bytes.slice(at, at + 4)]).toEqual([0xef, 0xcd, 0xab, 0x89]);
    // ... and nothing else was written.
    expect(bytes.reduce((n, b, i) => n + (b !== 0 && (i < at || i >= at + 4) ? 1 : 0), 0)).toBe(0);
    expect(regs.get(name)).toBe(0x89abcdef);
  });

  it('byte and word aliases follow from the layout', () => {
    const expected: Record<string, [number, number]> = {
      AX: [0x1c, 2], AL: [0x1c, 1], AH: [0x1d, 1], BX: [0x10, 2], BL: [0x10, 1], BH: [0x11, 1],
      CX: [0x18, 2], CL: [0x18, 1], CH: [0x19, 1], DX: [0x14, 2], DL: [0x14, 1], DH: [0x15, 1],
      SI: [0x04, 2], DI: [0x00, 2], BP: [0x08, 2], SP: [0x30, 2], IP: [0x24, 2], Flags: [0x2c, 2],
    };
    expect(ClientRegAlias).toEqual(expected);
    const regs = ClientRegs.allocate(false);
    regs.set('EAX', 0x11223344);
    expect(regs.getAlias('AX')).toBe(0x3344);
    expect(regs.getAlias('AL')).toBe(0x44);
    expect(regs.getAlias('AH')).toBe(0x33);
    regs.setAlias('AH', 0x1ff); // a byte alias writes one byte
    expect(regs.get('EAX')).toBe(0x1122ff44);
    regs.setAlias('IP', 0x12345);
    expect(regs.get('EIP')).toBe(0x2345);
  });

  it('works over a SharedArrayBuffer, at an offset, and two views of it see the same registers', () => {
    const shared = new SharedArrayBuffer(0x100);
    const vmm = new ClientRegs(shared, 0x20);
    const worker = new ClientRegs(shared, 0x20);
    vmm.set('EBX', 0xdeadbeef);
    expect(worker.get('EBX')).toBe(0xdeadbeef);
    expect(new DataView(shared).getUint32(0x20 + 0x10, true)).toBe(0xdeadbeef);
    expect(ClientRegs.allocate(true).buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(() => new ClientRegs(shared, 0x100 - 0x6b)).toThrow(RangeError);
  });

  it('property: any dword round-trips through any register, and snapshot() copies all 0x6C bytes', () => {
    fc.assert(fc.property(fc.constantFrom(...NAMES), fc.integer({ min: 0, max: 0xffffffff }), (name, value) => {
      const regs = ClientRegs.allocate(false);
      regs.set(name, value);
      expect(regs.get(name)).toBe(value);
      const snap = regs.snapshot();
      expect(snap.length).toBe(CLIENT_REG_STRUC_BYTES);
      regs.set(name, ~value >>> 0);
      expect(new DataView(snap.buffer).getUint32(SPEC_OFFSETS[name]!, true)).toBe(value);
    }));
  });
});
