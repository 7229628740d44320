/**
 * User code that threw during an execution (a device procedure of any kind: a trap or service
 * handler, a callback, an interrupt handler, a control message, an exported service called by
 * another device; or a scenario invariant) is a finding of the explorer, like a violation: the
 * VxD equivalent of a page fault in ring 0. It ends the execution where it is; its kind is the
 * fault's (`deviceThrew`, `invariantThrew`), its message the fault's one line: the device and
 * procedure (or the invariant), the error's message and its file:line:column.
 *
 * Two runs found the same throw when their one-line messages are equal: the same kind, device,
 * procedure (or invariant), error message and place. The shrinker keeps a candidate only then,
 * and replay says "reproduced" only then (actors/sim/replay.ts compares the same line).
 *
 * What is not a finding here: a runaway device (the service-call budget) stays a runtime
 * failure, exit 3; code that throws while the machine is built (a device's `state()`, `init`)
 * throws in every execution, before any interleaving, and ends the command as before.
 */
import { RunAborted, type RunFault } from '../actors/runFault.js';
import type { SimRunResult } from '../actors/runLoop.js';
import type { ViolationSummary } from './spec.js';

export const THROWN_KINDS: readonly string[] = ['deviceThrew', 'invariantThrew'];

export function isThrownKind(kind: string): boolean {
  return THROWN_KINDS.includes(kind);
}

/** The fault a thrown finding is (user code that threw), or null for anything else. */
export function thrownFault(fault: RunFault | null): RunFault | null {
  return fault !== null && isThrownKind(fault.kind) ? fault : null;
}

/** What `runSim`-style callers threw when user code threw: the run up to the throw; anything else is thrown on. */
export function thrownRun(error: unknown): SimRunResult & { fault: RunFault } {
  if (error instanceof RunAborted && thrownFault((error as RunAborted<SimRunResult>).fault) !== null) {
    const aborted = error as RunAborted<SimRunResult>;
    return { ...aborted.partial, fault: aborted.fault };
  }
  throw error;
}

/** The finding a throw is, as the campaign keeps violations: `seq` is the records made before it. */
export function thrownSummary(fault: RunFault, records: number): ViolationSummary {
  return {
    kind: fault.kind, severity: 'device', message: fault.message, device: fault.device ?? fault.invariant ?? '', seq: records,
    thrown: { device: fault.device, proc: fault.proc, invariant: fault.invariant, location: fault.location },
  };
}
