/**
 * The watchdog's view of ring-0 device code: which device procedure is running, and how many
 * service calls the current entry has made. Both runtimes share it.
 *
 * - The service-call budget is deterministic: a procedure that makes more than `budget`
 *   service calls (sti/cli included) in one entry is a runaway, whatever the machine's speed,
 *   and the same run stops at the same call on replay.
 * - A procedure that loops without calling any service never comes back to this code, so a
 *   watcher on another thread reads where it is from shared memory (the `shared` words, below)
 *   and ends the thread it runs on.
 *
 * Shared words (Int32Array over a SharedArrayBuffer, written here, read by the watcher):
 *
 *   [0] depth     ring-0 entries now on the stack (0: no device code running)
 *   [1] entries   ring-0 entries so far (wraps); unchanged while depth > 0 means stuck
 *   [2] device    index in the scenario's devices of the innermost running procedure
 *   [3] proc      index of that procedure in Object.keys(device.procs)
 *
 * One watch per thread: a thread runs one machine at a time.
 *
 * The words are written with plain stores, not Atomics: an Atomics store or add is a full
 * memory barrier (~10 ns each on x86), and two ring-0 entries per event made them an eighth of
 * the threaded VMM's time per event. The watcher polls every 50 ms and acts only on a position
 * unchanged for seconds, so it needs the words to become visible soon, not in order; an aligned
 * Int32 store is never torn, and the store before an entry's body is not dropped (the body runs
 * between it and the next store to the same word).
 */
import { oneLine } from '../shared/oneLine.js';

export const RING0_WATCH_WORDS = 4;

/**
 * The procedure index of an entry that is no procedure: stateful dfs reading every device's
 * state for its snapshots and digests (a getter or a proxy's trap in a state runs there).
 */
export const DEVICE_STATES_READ = -1;
/** Service calls one ring-0 entry may make. Real handlers make a handful. */
export const SERVICE_CALLS_PER_ENTRY_MAX = 100_000;

export interface Ring0Where {
  deviceIndex: number;
  device: string;
  proc: string;
}

const RUNAWAY_MARK = ' (the budget)';

/** A device procedure went over its budget: the run ends here (exit 3). */
export class RunawayDevice extends Error {
  override readonly name = 'RunawayDevice';
  constructor(readonly where: Ring0Where, readonly serviceCalls: number) {
    super(`device ${where.device}, procedure ${where.proc}: ${serviceCalls} service calls in one ring-0 entry${RUNAWAY_MARK}: it does not return`);
  }
}

/**
 * Whether a message is a RunawayDevice's: across threads only the message survives the
 * structured clone, so it is recognised by its text.
 */
export function isRunawayMessage(message: string): boolean {
  return message.includes(`service calls in one ring-0 entry${RUNAWAY_MARK}`);
}

/** Device code threw: the user's error, with the procedure it came from. */
export class DeviceCodeError extends Error {
  override readonly name = 'DeviceCodeError';
  constructor(readonly where: Ring0Where, readonly original: unknown) {
    super(`device ${where.device}, procedure ${where.proc} threw: ${oneLine(String(original instanceof Error ? original.message : original))}`);
  }
}

/** Errors that unwind ring-0 code on purpose, or were already attributed. */
const PASSING = new Set(['VmBlocked', 'RunawayDevice', 'DeviceCodeError', 'ReplayDivergence']);

export class Ring0Watch {
  budget = SERVICE_CALLS_PER_ENTRY_MAX;
  shared: Int32Array | null = null;
  /** Entries now on the stack; `stack` and `calls` hold them at [0, depth) (slots are reused). */
  private depth = 0;
  private readonly stack: Ring0Where[] = [];
  private readonly procs: number[] = [];
  private readonly calls: number[] = [];

  /** Where this thread's watcher reads (once per thread). */
  attach(shared: Int32Array): void {
    this.shared = shared;
  }

  /** A new run on this thread. */
  reset(budget = SERVICE_CALLS_PER_ENTRY_MAX): void {
    this.budget = budget;
    // Only [0, depth) is live: the slots stay for the next run (emptying the arrays gave up their storage).
    this.depth = 0;
    if (this.shared !== null) Atomics.store(this.shared, 0, 0);
  }

  /** Runs one procedure (`body(arg)`: no closure per entry) as a ring-0 entry, attributing what it throws. */
  enter<A, T>(where: Ring0Where, procIndex: number, body: (arg: A) => T, arg: A): T {
    const depth = this.depth;
    this.stack[depth] = where;
    this.procs[depth] = procIndex;
    this.calls[depth] = 0;
    this.depth = depth + 1;
    const shared = this.shared;
    if (shared !== null) {
      shared[2] = where.deviceIndex;
      shared[3] = procIndex;
      shared[1] = (shared[1]! + 1) | 0;
      shared[0] = depth + 1;
    }
    try {
      return body(arg);
    } catch (error) {
      if (error !== null && typeof error === 'object' && PASSING.has((error as Error).name)) throw error;
      throw new DeviceCodeError(where, error);
    } finally {
      this.depth = depth;
      if (shared !== null) {
        // Back in the entry this one interrupted (a hardware interrupt inside a procedure): the
        // words name it again, or a hang after the interrupt returned would be blamed on the
        // interrupt's handler.
        if (depth > 0) {
          shared[2] = this.stack[depth - 1]!.deviceIndex;
          shared[3] = this.procs[depth - 1]!;
        }
        shared[0] = depth;
        shared[1] = (shared[1]! + 1) | 0;
      }
    }
  }

  /** The outermost procedure entered last (its slot is kept after it returns), if any was. */
  lastOutermost(): Ring0Where | undefined {
    return this.stack[0];
  }

  /** A service call from the innermost entry: past the budget, the device is a runaway. */
  serviceCall(): void {
    const n = this.depth;
    if (n === 0) return;
    const calls = ++this.calls[n - 1]!;
    if (calls > this.budget) throw new RunawayDevice(this.stack[n - 1]!, this.budget);
  }
}

export const ring0Watch = new Ring0Watch();

/** What a watcher on another thread reads: where device code is stuck, if it is. */
export function readRing0Watch(shared: Int32Array): { depth: number; entries: number; deviceIndex: number; procIndex: number } {
  return { depth: Atomics.load(shared, 0), entries: Atomics.load(shared, 1), deviceIndex: Atomics.load(shared, 2), procIndex: Atomics.load(shared, 3) };
}
