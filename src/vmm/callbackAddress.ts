/**
 * Callback addresses: 0xC0dd_pp_0, one 64 KiB "segment" per device, 16 bytes per procedure. Made
 * by the device runtime, read back by dispatch (a layer below it): so the encoding is here, below both.
 */
const CALLBACK_BASE = 0xc0000000;

export function callbackAddress(deviceIndex: number, procIndex: number): number {
  return (CALLBACK_BASE + deviceIndex * 0x10000 + procIndex * 0x10) >>> 0;
}

export function decodeCallback(address: number): { device: number; proc: number } | undefined {
  const offset = (address >>> 0) - CALLBACK_BASE;
  if (offset < 0 || (offset & 0xf) !== 0) return undefined;
  return { device: Math.floor(offset / 0x10000), proc: (offset & 0xffff) >>> 4 };
}
