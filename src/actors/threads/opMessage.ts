/**
 * The data-plane message: one client op from a VM actor to the VMM actor, 4 Int32 words in a
 * slot of the MPSC queue (src/shared/queue/mpscQueue.ts draws the queue around it).
 *
 *   word 0  header   31      24 23      16 15                     0
 *                   | producer | VM id    | sequence (per VM, mod 2^16) |
 *   word 1  opcode   (clientOps.ts OPCODE: run 1, trap 2, cli 3, sti 4, iret 5, mode 6, eoi 7, mask 8)
 *   word 2  a        run: ticks; trap: device index; mode: 1 = protected mode; mask: IRQ
 *   word 3  b        trap: entry << 16 | arg (16 bits); mask: 1 = masked, 0 = unmasked
 *
 * The producer is the actor that pushed (a VM actor pushes its own VM's ops, so it equals the
 * VM id; 0 is reserved). The sequence lets the VMM check that each VM's ops arrive exactly
 * once and in order: a gap is a broken data plane, reported as an error, never skipped.
 */
import { decodeOp, encodeOp, type ClientOp } from '../../vmm/clientOps.js';

export const OP_MESSAGE_WORDS = 4;
export const SEQUENCE_MASK = 0xffff;

export interface OpHeader {
  producer: number;
  vmId: number;
  sequence: number;
}

export function writeOpMessage(out: Int32Array, header: OpHeader, op: ClientOp): void {
  out[0] = ((header.producer & 0xff) << 24) | ((header.vmId & 0xff) << 16) | (header.sequence & SEQUENCE_MASK);
  encodeOp(op, out, 1);
}

export function readOpHeader(msg: Int32Array): OpHeader {
  const word = msg[0]!;
  return { producer: (word >>> 24) & 0xff, vmId: (word >>> 16) & 0xff, sequence: word & SEQUENCE_MASK };
}

/** The VM id in a header word (word 0). */
export function headerVmId(header: number): number {
  return (header >>> 16) & 0xff;
}

/** The sequence number in a header word (word 0). */
export function headerSequence(header: number): number {
  return header & SEQUENCE_MASK;
}

export function readOpMessage(msg: Int32Array): ClientOp {
  return decodeOp(msg, 1);
}
