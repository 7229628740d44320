/**
 * A VM's Client_Reg_Struc: the ring-3 registers the VMM saved when the VM last entered ring 0.
 * The layout is the DDK's (vmm.inc), 0x6C bytes, little-endian dwords:
 *
 *   00 EDI   04 ESI   08 EBP   0C (reserved)  10 EBX   14 EDX   18 ECX   1C EAX
 *   20 Error 24 EIP   28 CS    2C EFlags      30 ESP   34 SS    38 ES    3C DS
 *   40 FS    44 GS    48 Alt_EIP  4C Alt_CS   50 Alt_EFlags  54 Alt_ESP  58 Alt_SS
 *   5C Alt_ES  60 Alt_DS  64 Alt_FS  68 Alt_GS
 *
 * Byte and word aliases follow from it (AL at 1C, AH at 1D, AX at 1C, IP at 24 ...).
 * The bytes live in an ArrayBuffer or a SharedArrayBuffer: in the threaded runtime the VMM
 * actor (where event callbacks run) and the VM's worker see the same memory.
 */
export const CLIENT_REG_STRUC_BYTES = 0x6c;

export const ClientRegOffset = {
  EDI: 0x00, ESI: 0x04, EBP: 0x08, Reserved: 0x0c, EBX: 0x10, EDX: 0x14, ECX: 0x18, EAX: 0x1c,
  Error: 0x20, EIP: 0x24, CS: 0x28, EFlags: 0x2c, ESP: 0x30, SS: 0x34, ES: 0x38, DS: 0x3c,
  FS: 0x40, GS: 0x44, Alt_EIP: 0x48, Alt_CS: 0x4c, Alt_EFlags: 0x50, Alt_ESP: 0x54,
  Alt_SS: 0x58, Alt_ES: 0x5c, Alt_DS: 0x60, Alt_FS: 0x64, Alt_GS: 0x68,
} as const;

export type ClientRegName = keyof typeof ClientRegOffset;

/** Word and byte aliases: name → [offset, bytes]. */
export const ClientRegAlias = {
  AX: [0x1c, 2], AL: [0x1c, 1], AH: [0x1d, 1], BX: [0x10, 2], BL: [0x10, 1], BH: [0x11, 1],
  CX: [0x18, 2], CL: [0x18, 1], CH: [0x19, 1], DX: [0x14, 2], DL: [0x14, 1], DH: [0x15, 1],
  SI: [0x04, 2], DI: [0x00, 2], BP: [0x08, 2], SP: [0x30, 2], IP: [0x24, 2], Flags: [0x2c, 2],
} as const satisfies Record<string, readonly [number, 1 | 2]>;

export type ClientRegAliasName = keyof typeof ClientRegAlias;

/** EFlags bits the model reads. */
export const EFLAGS_CF = 0x1;
export const EFLAGS_IF = 0x200;
const EFLAGS_OFFSET = ClientRegOffset.EFlags;

export class ClientRegs {
  private readonly view: DataView;

  constructor(readonly buffer: ArrayBufferLike, readonly byteOffset = 0) {
    if (byteOffset + CLIENT_REG_STRUC_BYTES > buffer.byteLength) {
      throw new RangeError(`Client_Reg_Struc at ${byteOffset} does not fit in ${buffer.byteLength} bytes`);
    }
    this.view = new DataView(buffer, byteOffset, CLIENT_REG_STRUC_BYTES);
  }

  static allocate(shared: boolean): ClientRegs {
    const bytes = shared ? new SharedArrayBuffer(CLIENT_REG_STRUC_BYTES) : new ArrayBuffer(CLIENT_REG_STRUC_BYTES);
    return new ClientRegs(bytes);
  }

  /** All 0x6C bytes to zero (a pooled block, lent to the next machine). */
  clear(): void {
    for (let offset = 0; offset < CLIENT_REG_STRUC_BYTES; offset += 4) this.view.setUint32(offset, 0);
  }

  get(name: ClientRegName): number {
    return this.view.getUint32(ClientRegOffset[name], true);
  }

  set(name: ClientRegName, value: number): void {
    this.view.setUint32(ClientRegOffset[name], value >>> 0, true);
  }

  /**
   * EFlags' IF bit set or cleared, the rest kept: what CLI, STI and a simulated interrupt do to
   * the client's flags, several times a step. At EFlags' fixed offset: `get`/`set` look the
   * offset up by name, a keyed load that the many names callers pass make megamorphic.
   */
  setInterruptFlag(enabled: boolean): void {
    const view = this.view;
    const eflags = view.getUint32(EFLAGS_OFFSET, true);
    view.setUint32(EFLAGS_OFFSET, ((eflags & ~EFLAGS_IF) | (enabled ? EFLAGS_IF : 0)) >>> 0, true);
  }

  getAlias(name: ClientRegAliasName): number {
    const [offset, bytes] = ClientRegAlias[name];
    return bytes === 1 ? this.view.getUint8(offset) : this.view.getUint16(offset, true);
  }

  setAlias(name: ClientRegAliasName, value: number): void {
    const [offset, bytes] = ClientRegAlias[name];
    if (bytes === 1) this.view.setUint8(offset, value & 0xff);
    else this.view.setUint16(offset, value & 0xffff, true);
  }

  /** A copy of all 0x6C bytes, for comparing before and after a callback. */
  snapshot(): Uint8Array {
    return new Uint8Array(this.buffer, this.byteOffset, CLIENT_REG_STRUC_BYTES).slice();
  }
}

/**
 * Client register blocks kept between the machines of a campaign (unshared memory only): an
 * ArrayBuffer costs more to allocate and finalize than 0x6C bytes cost to zero. The machine that
 * takes the pool resets it; its VM n then gets block n - 1, zeroed. Once a machine is finished
 * nothing reads its blocks (no record or result holds one), so the next machine may have them.
 */
export class ClientRegsPool {
  private readonly blocks: ClientRegs[] = [];
  private lent = 0;

  /** A new machine: every block may be lent again. */
  reset(): this {
    this.lent = 0;
    return this;
  }

  take(): ClientRegs {
    const regs = (this.blocks[this.lent] ??= ClientRegs.allocate(false));
    this.lent++;
    regs.clear();
    return regs;
  }
}
