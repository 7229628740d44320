/**
 * What "the same state" means for a whole simulated machine, and its digest.
 *
 * The state is everything the future of a run depends on, given the strategy's answers: the
 * VMM (CPU context, registers, re-enter count, the current VM, critical section, boosts, the
 * time slicer, pending global events), each VM (its control block, client registers, its VM and
 * priority events, virtual interrupt state), the handle table (live nodes, the free list order,
 * each node's generation), the PIC and VPICD's per-line tables (and any virtual PIC the core
 * holds), each device's `state()` and shared slots and hardware requests, the client workload
 * still to come (each VM's generator state), and the client step count. It is walked
 * generically (`digest.ts`): new fields are state unless named below.
 *
 * Not state, because no future behaviour reads it (each named, with why):
 * - `Vmm.seq`: the history record counter; records are output, not input; `Vmm.trace`: the
 *   trace hash the core feeds as it makes records (output too); `Vmm.callbackTargets`: a
 *   cache of decoded callback addresses; `Vmm.regsPool`: where VMs took their register blocks from;
 *   `Vmm.priorityTimeoutTicks`, `Vmm.iretTimeoutTicks`: lower bounds of the pending deadlines
 *   (kept so that a processing point does not look for time-outs before one may be due; the
 *   deadlines themselves are walked, and two runs reaching one state may hold other bounds);
 * - `Vmm.pickedVm`: the scheduler's last pick, kept until what it reads changes (a cache of
 *   what the walked VMs, current VM and slice holder decide);
 * - `Vmm.eventsFromInterrupts`: a running count, read only as a difference within one
 *   processing pass (the livelock bound does not count events that interrupts made), and
 *   `Vmm.lastDispatchedCallback`: written at each dispatch and read only by the livelock report
 *   of the pass that dispatched it; a pass never spans two client steps, so neither value
 *   reaches the next step (counted, they made every history its own state); nor does
 *   `Vmm.ring0PointsWithoutIrq`, the fairness count of ring-0 points without an IRQ (cpu.ts),
 *   which every client step starts from 0;
 * - `Vmm.sink`, `Vmm.choices`, `Vmm.ops` as objects: the injected sink and strategy (the ops
 *   source is walked separately as workload state); `Vmm.records`: the objects records are made
 *   in (the history's tail, an observation of the run);
 * - `Vmm.framePool`: scratch register frames, reused; `Vmm.irqPoint`: the scratch preemption
 *   point handed to the strategy; `Vmm.config`: the same in every execution;
 * - `EventNode.scheduledSeq`: the history seq of the scheduling, written for the record only
 *   (FIFO order is the order of the queues, which is walked);
 * - a free event node's contents other than its generation (its last event's callback, flags…
 *   are never read again; the generation decides its next handle);
 * - `DeviceRuntime.spec`, `.ring0`, `.slots`, `.vmm`, `.compiled`: code and views over state
 *   walked elsewhere (`slotWords` holds the slots);
 * - `Workload.entries`/`mix` and `WorkloadSet.entries`/`mix`: configuration, the same in every
 *   execution of a campaign, and `Workload.runTable` and `.below`, made from the mix once (the
 *   run ops of every length, ~1,100 of the ~2,000 values the default machine's walk met); `Workload.trapOpsKept`, `.trapOps`, `.trapAt` and
 *   `WorkloadSet.trapOpsKept`: the trap op objects a run's own workload uses in turn, which hold
 *   ops already taken (the next op is drawn from the generator's state alone);
 * - `ClientRegs.view`: a DataView over `ClientRegs.buffer`, whose bytes are walked;
 * - `EventTable.made`: every node object the table made, kept for reuse across machine resets
 *   (the nodes in use are walked in `nodes`).
 * Also outside: the invariant checker's and coverage tracker's own bookkeeping, the trace hash,
 * counters: they observe the run. (So two histories that reach the same machine state are one
 * state even if the checker saw different records on the way; the device rules are the core's
 * own and are in the state.)
 *
 * Virtual time is included as it is (`ticks`, every deadline, the slice start): the same
 * machine at another time is another state, since timeouts and the slicer read absolute time.
 */
import type { RunLoop } from '../actors/runLoop.js';
import { Workload, WorkloadSet } from '../actors/workload.js';
import { ClientRegs } from '../shared/clientRegs.js';
import { DeviceRuntime } from '../vmm/deviceRuntime.js';
import { EventTable, type EventNode } from '../vmm/eventTable.js';
import { Vmm } from '../vmm/vmm.js';
import { digest, type DigestSkip } from './digest.js';

export const MACHINE_SKIP: DigestSkip = {
  keys: new Map<Function, ReadonlySet<string>>([
    [Vmm, new Set(['seq', 'sink', 'records', 'choices', 'ops', 'framePool', 'irqPoint', 'config', 'trace', 'callbackTargets', 'regsPool', 'priorityTimeoutTicks', 'iretTimeoutTicks', 'pickedVm', 'eventsFromInterrupts', 'lastDispatchedCallback', 'ring0PointsWithoutIrq'])],
    [DeviceRuntime, new Set(['spec', 'ring0', 'slots', 'vmm', 'compiled'])],
    [Workload, new Set(['entries', 'mix', 'runTable', 'below', 'trapOpsKept', 'trapOps', 'trapAt'])],
    [ClientRegs, new Set(['view'])],
    [EventTable, new Set(['made'])],
    [WorkloadSet, new Set(['entries', 'mix', 'trapOpsKept'])],
  ]),
  fieldsOf: eventNodeFields,
  // Device code can iterate its state's keys, Maps and Sets: their order is state there.
  ordered: new Map<Function, ReadonlySet<string>>([[DeviceRuntime, new Set(['state'])]]),
};

/**
 * A live event node's fields but its history seq, sorted. Typed as every field of EventNode
 * (eventTable.ts) but that one, so a field added there does not compile until it is named here.
 */
const NODE_STATE: Record<Exclude<keyof EventNode, 'scheduledSeq'>, true> = {
  index: true, handle: true, generation: true, live: true, kind: true, callback: true, refData: true, vm: true, boost: true, flags: true, deadlineTicks: true,
};
const LIVE_NODE_FIELDS: readonly string[] = Object.keys(NODE_STATE).sort();
/** A free node's: what decides its next handle. */
const FREE_NODE_FIELDS: readonly string[] = ['generation', 'index', 'live'];

/** An event node (a plain object of the handle table): the fields that are state. */
function eventNodeFields(value: object): readonly string[] | undefined {
  if (!('scheduledSeq' in value) || !('generation' in value) || !('live' in value)) return undefined;
  return (value as { live: boolean }).live ? LIVE_NODE_FIELDS : FREE_NODE_FIELDS;
}

/** The digest of a machine between client steps (no ring-0 code is running then). */
export function machineDigest(vmm: Vmm, steps: number): string {
  return digest({ vmm, workload: vmm.ops, steps }, MACHINE_SKIP);
}

export function runLoopDigest(loop: RunLoop): string {
  return machineDigest(loop.vmm, loop.steps);
}
