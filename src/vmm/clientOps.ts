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

export function decodeOp(words: ArrayLike<number>, at = 0): ClientOp {
  const a = words[at + 1]!;
  const b = words[at + 2]!;
  switch (words[at]) {
    case OPCODE.run: return { op: 'run', ticks: a };
    case OPCODE.trap: return { op: 'trap', device: a, entry: b >>> 16, arg: b & 0xffff };
    case OPCODE.cli: return { op: 'cli' };
    case OPCODE.sti: return { op: 'sti' };
    case OPCODE.iret: return { op: 'iret' };
    case OPCODE.mode: return { op: 'mode', pm: a !== 0 };
    case OPCODE.eoi: return { op: 'eoi' };
    case OPCODE.mask: return { op: 'mask', irq: a, masked: b !== 0 };
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
