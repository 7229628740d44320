/**
 * A seeded workload drawn once and replayed: what the explorer runs each execution of a campaign
 * from, instead of drawing every op again (workload.ts draws them).
 */
import { CLI, type ClientOp, type ClientOpSource } from '../vmm/clientOps.js';
import type { Scenario } from '../scenario/scenario.js';
import { seededWorkload, type WorkloadSet } from './workload.js';

/**
 * Ops a tape keeps per VM (at most 64 VMs × 8,192 small objects); a run that goes further draws
 * the rest itself (see TapePlayer), paying once what a run without a tape pays for the first ones.
 */
export const TAPE_OPS_MAX = 8_192;

/**
 * A seeded workload drawn once and kept, for a caller that runs the same workload many times:
 * every execution of a campaign runs its scenario's workload from the campaign's seed, so the
 * explorer draws each VM's ops once and each execution replays them (no draws, no op objects
 * per step). A VM's stream depends only on the seed and the machine's entry points, so a played
 * stream is the one `seededWorkload` gives. Memory: at most TAPE_OPS_MAX ops per VM.
 */
export class WorkloadTape {
  private readonly source: WorkloadSet;
  /**
   * By VM id: the ops drawn so far. Made whole, each list of objects' element kind from birth:
   * a new tape's empty arrays took their kind at their first store, in the middle of the core's
   * step (which reads the tape inlined), and each campaign's new tape deoptimized that step
   * (measured: the next campaign of a process ran its first thousand executions at half speed).
   */
  private readonly tapes: ClientOp[][] = emptyOpLists(TAPE_VMS);

  constructor(readonly seed: number, readonly scenario: Pick<Scenario, 'devices' | 'mix'>) {
    this.source = seededWorkload(seed, scenario);
  }

  /** A fresh run's ops: every VM from its first op. */
  play(): ClientOpSource {
    return new TapePlayer(this);
  }

  /** VM `vmId`'s op number `index`, or undefined past the tape's end. */
  op(vmId: number, index: number): ClientOp | undefined {
    let tape = this.tapes[vmId];
    if (tape === undefined) this.tapes[vmId] = tape = emptyOpLists(1)[0]!;
    while (tape.length <= index && tape.length < TAPE_OPS_MAX) tape.push(this.source.next(vmId));
    return tape[index];
  }
}

/** VM ids a tape holds lists for from the start (ids are below the 64-VM bound, plus one). */
const TAPE_VMS = 65;

/** `count` empty op lists, already of objects' element kind (an array never goes back to a narrower kind). */
function emptyOpLists(count: number): ClientOp[][] {
  const lists: ClientOp[][] = [[]];
  lists.length = 0;
  for (let i = 0; i < count; i++) {
    const ops: ClientOp[] = [STAND_IN_OP];
    ops.length = 0;
    lists.push(ops);
  }
  return lists;
}

const STAND_IN_OP: ClientOp = CLI;

class TapePlayer implements ClientOpSource {
  /** By VM id: ops taken. */
  private readonly taken: number[] = [];
  /** A VM past the tape's end draws from its own generator, moved past the taped ops. */
  private beyond: WorkloadSet | null = null;

  constructor(private readonly tape: WorkloadTape) {}

  next(vmId: number): ClientOp {
    const index = this.taken[vmId] ?? 0;
    this.taken[vmId] = index + 1;
    const op = this.tape.op(vmId, index);
    if (op !== undefined) return op;
    if (index === TAPE_OPS_MAX) {
      this.beyond ??= seededWorkload(this.tape.seed, this.tape.scenario);
      for (let i = 0; i < TAPE_OPS_MAX; i++) this.beyond.next(vmId);
    }
    return this.beyond!.next(vmId);
  }
}
