/**
 * What a VM's ring-3 code does, one step at a time: the input the VMM core consumes from the
 * current VM. Each op has a fixed three-word encoding for the shared-memory queue.
 */
export type ClientOp =
  /** Client code computes for a while; interrupts may arrive meanwhile. */
  | { op: 'run'; ticks: number }
  /** Trap into a device entry point (port I/O, a VxD API call): ring 0 runs, then returns. */
  | { op: 'trap'; device: number; entry: number; arg: number }
  /** The VM disables or enables its (virtual) interrupts. */
  | { op: 'cli' }
  | { op: 'sti' }
  /** The VM returns from a simulated hardware interrupt. */
  | { op: 'iret' }
  /** The VM's interrupt handler ends its interrupt: a non-specific EOI to its virtual PIC. */
  | { op: 'eoi' }
  /** The VM masks or unmasks an IRQ in its virtual PIC (writes the IMR). */
  | { op: 'mask'; irq: number; masked: boolean }
  /** The VM switches between V86 and protected mode. */
  | { op: 'mode'; pm: boolean };

export const OPCODE = { run: 1, trap: 2, cli: 3, sti: 4, iret: 5, mode: 6, eoi: 7, mask: 8 } as const;

export function encodeOp(op: ClientOp, out: Int32Array | number[], at = 0): void {
  out[at] = OPCODE[op.op];
  out[at + 1] = op.op === 'run' ? op.ticks : op.op === 'trap' ? op.device : op.op === 'mode' ? Number(op.pm) : op.op === 'mask' ? op.irq : 0;
  out[at + 2] = op.op === 'trap' ? (op.entry << 16) | (op.arg & 0xffff) : op.op === 'mask' ? Number(op.masked) : 0;
}

/**
 * Every op object made here has one shape: the fields of every kind, in one order, those its kind
 * lacks undefined (so a JSON text, or a deep equality, sees only its kind's fields). The core
 * reads `op.op` at every step in three places (the op's record, its effect, the checker): over
 * the five shapes the kinds would have, V8 made each of those reads a megamorphic lookup (its
 * generic property load: ~4% of a simulator step, `perf record` of `node --perf-basic-prof`).
 * Over one shape each is a map check and a load. Ops made elsewhere (a test's literal) still
 * work, only slower.
 */
function opObject(
  op: ClientOp['op'], ticks?: number, device?: number, entry?: number, arg?: number, irq?: number, masked?: boolean, pm?: boolean,
): ClientOp {
  return { op, ticks, device, entry, arg, irq, masked, pm } as ClientOp;
}

/** A new `run` op (runOp gives a shared one where it can). */
export function newRunOp(ticks: number): Extract<ClientOp, { op: 'run' }> {
  return opObject('run', ticks) as Extract<ClientOp, { op: 'run' }>;
}

/** A new `trap` op: the caller may write its fields again (workload.ts and opRings.ts use theirs in turn). */
export function newTrapOp(device: number, entry: number, arg: number): Extract<ClientOp, { op: 'trap' }> {
  return opObject('trap', undefined, device, entry, arg) as Extract<ClientOp, { op: 'trap' }>;
}

/** A new `mode` op. */
function newModeOp(pm: boolean): ClientOp {
  return opObject('mode', undefined, undefined, undefined, undefined, undefined, undefined, pm);
}

/** A new `mask` op (maskOp gives a shared one where it can). */
function newMaskOp(irq: number, masked: boolean): ClientOp {
  return opObject('mask', undefined, undefined, undefined, undefined, irq, masked);
}

/**
 * The ops without operands (or with few possible ones) are objects shared by every decode and by
 * the seeded workload: the core and its records only read an op, never change it. A trap is a
 * new object each time (its arg takes 2^16 values), or one of a few its source uses in turn
 * once no record of the tail shows it (a run's own workload, the VMM actor's op rings).
 */
export const CLI: ClientOp = opObject('cli');
export const STI: ClientOp = opObject('sti');
export const IRET: ClientOp = opObject('iret');
export const EOI: ClientOp = opObject('eoi');
export const MODE_PM: ClientOp = newModeOp(true);
export const MODE_V86: ClientOp = newModeOp(false);
/** Shared run ops for 0..RUN_SHARED_MAX ticks (the workload's runs are short), made on first use. */
const RUN_SHARED_MAX = 4096;
const RUN_OPS: (ClientOp | undefined)[] = [];
/** Shared mask ops: index irq * 2 + masked, for IRQs 0..31. */
const MASK_OPS: (ClientOp | undefined)[] = [];

/** The shared `run` op of 0..RUN_SHARED_MAX ticks (a new one for any other). */
export function runOp(ticks: number): ClientOp {
  if (!(ticks >= 0 && ticks <= RUN_SHARED_MAX)) return newRunOp(ticks);
  return (RUN_OPS[ticks] ??= newRunOp(ticks));
}

/** The shared `mask` op of an IRQ 0..31 (a new one for any other). */
export function maskOp(irq: number, masked: boolean): ClientOp {
  if (!(irq >= 0 && irq < 32)) return newMaskOp(irq, masked);
  return (MASK_OPS[irq * 2 + (masked ? 1 : 0)] ??= newMaskOp(irq, masked));
}

export function decodeOp(words: ArrayLike<number>, at = 0): ClientOp {
  const a = words[at + 1]!;
  const b = words[at + 2]!;
  switch (words[at]) {
    case OPCODE.trap: return newTrapOp(a, b >>> 16, b & 0xffff);
    case OPCODE.run: return runOp(a);
    case OPCODE.cli: return CLI;
    case OPCODE.sti: return STI;
    case OPCODE.iret: return IRET;
    case OPCODE.mode: return a !== 0 ? MODE_PM : MODE_V86;
    case OPCODE.eoi: return EOI;
    case OPCODE.mask: return maskOp(a, b !== 0);
    default: throw new Error(`unknown client opcode ${words[at]}`);
  }
}

export function describeOp(op: ClientOp): string {
  switch (op.op) {
    case 'run': return `run ${op.ticks}`;
    case 'trap': return `trap ${op.device}.${op.entry}(${op.arg})`;
    case 'mode': return op.pm ? 'mode pm' : 'mode v86';
    case 'mask': return `${op.masked ? 'mask' : 'unmask'} irq ${op.irq}`;
    default: return op.op;
  }
}

/** Where the core pulls the current VM's next op from: a seeded workload, or a VM actor's queue. */
export interface ClientOpSource {
  next(vmId: number): ClientOp;
}
