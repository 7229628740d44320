/**
 * A piscina pool whose threads the ring-0 watchdog watches, as it watches the thread a simulated
 * command runs on (cli/watched.ts): device code that loops without calling a service, on a pool
 * thread, would otherwise hold its task, and the campaign waiting for it, forever.
 *
 * Each pool thread takes a slot of its own in one shared buffer at its first task, points its
 * ring-0 watch there (vmm/ring0Watch.ts), and writes the id of each task it starts. This side
 * looks at every slot every POLL_MS; a slot whose entry has run for the bound with no other begun
 * or ended names the task, which is aborted: piscina then ends that thread (and starts another,
 * which takes a fresh slot), and the task's promise rejects with WorkerHung, naming the device and
 * the procedure.
 *
 *   Int32Array over one SharedArrayBuffer (SLOT_WORDS = 32: slots never share a cache line):
 *   [0 .. 31]                      [0]: slots taken so far (a thread takes slot `taken % SLOTS`)
 *   [32(k+1) .. 32(k+1) + 3]       slot k: one thread's ring-0 watch words (depth, entries, device, proc)
 *   [32(k+1) + 4]                  slot k: the id of the task that thread runs now (0: none yet)
 *   [32(k+1) + 5 .. 32(k+1) + 31]  unused
 *
 * Each slot has an execution board too (executionBoard.ts, in a buffer of its own: its runs are
 * written at every choice of an execution), so a hung task's execution can be re-run into a trace.
 *
 * Slots are not given back (a thread cannot say it ended); there are four per thread and a few
 * more, so a pool whose threads were replaced that often would share a slot, and a hang on one of
 * two threads sharing a slot is not seen while the other runs.
 */
import { Piscina, workerData } from 'piscina';
import { deviceNamesOf, type DeviceNames } from '../actors/deviceNames.js';
import { loadScenario } from '../scenario/load.js';
import type { ScenarioRef } from '../shared/trace.js';
import { hungDevice, memoryNearLimit, POLL_MS, poolRing0Bound, StuckEntry, WorkerHung, type HungDevice } from '../actors/ring0Watchdog.js';
import { executionBoard, executionBoardBuffer, readBoard, type HungExecution } from './executionBoard.js';
import { runFaultOf } from '../actors/runFault.js';

export { WorkerHung } from '../actors/ring0Watchdog.js';
import { ring0Watch, RING0_WATCH_WORDS } from '../vmm/ring0Watch.js';
import { poolThreadExited } from '../shared/threadExited.js';

/**
 * A slot is 128 bytes, two cache lines, though it uses 20: each thread writes its words at every
 * ring-0 entry, and two threads' words in one line (or in a pair the CPU fetches together) would
 * make every such write take the line from the other core. Measured with the 20 bytes packed:
 * `explore default --workers 2` ran 3-17% fewer executions per second.
 */
const SLOT_WORDS = 32;

/** A pool task hung (WorkerHung), with the execution its thread's board described. */
export class PoolTaskHung extends WorkerHung {
  constructor(hung: HungDevice, readonly execution: HungExecution | null) {
    super(hung);
  }
}
const TASK_WORD = RING0_WATCH_WORDS;

/**
 * A pool task's execution ran away (the service-call budget, vmm/ring0Watch.ts): the runaway's
 * message and the execution its thread's board kept, for the command to re-run it into a trace
 * (cli/hungExecution.ts). Named RunAborted, as the runaway itself is when it crosses threads
 * (actors/runFault.ts runFaultOf).
 */
export class PoolTaskRanAway extends Error {
  override readonly name = 'RunAborted';
  constructor(message: string, readonly execution: HungExecution | null) {
    super(message);
  }
}

/**
 * What a pool task returns, instead of throwing, when its execution ran away: the board is read
 * on the task's own thread, before the thread takes its next task (two are in flight per thread)
 * and writes over it. Only the message of a thrown error would cross.
 */
interface RanAwayOnPool {
  ranAwayOnPool: string;
  execution: HungExecution | null;
}

/** What a pool task's promise resolves to on its thread (WatchedPool.run turns a runaway back into a throw). */
export type PoolTaskResult<R> = R | RanAwayOnPool;

function ranAwayOnPool(result: unknown): result is RanAwayOnPool {
  return typeof result === 'object' && result !== null && 'ranAwayOnPool' in result;
}

/** What every pool thread is given (piscina's workerData). */
export interface PoolWatchData {
  poolWatch: SharedArrayBuffer;
  /** One execution board per slot. */
  boards: SharedArrayBuffer;
  slots: number;
}

/** A task as the pool hands it to a thread: the caller's, with its id for the watch. */
export type WatchedTask<T> = T & { poolTaskId: number };

export class WatchedPool {
  readonly piscina: Piscina;
  private readonly words: Int32Array;
  private readonly boards: SharedArrayBuffer;
  private readonly slots: number;
  private readonly stuck: StuckEntry[];
  private readonly running = new Map<number, { abort: AbortController; names: () => Promise<DeviceNames>; hung: HungDevice | null; execution: HungExecution | null }>();
  private nextTaskId = 1;
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(options: ConstructorParameters<typeof Piscina>[0] & { maxThreads: number }, boundMs = poolRing0Bound()) {
    this.slots = 4 * options.maxThreads + 4;
    const buffer = new SharedArrayBuffer((1 + this.slots) * SLOT_WORDS * Int32Array.BYTES_PER_ELEMENT);
    this.words = new Int32Array(buffer);
    this.boards = executionBoardBuffer(this.slots);
    this.stuck = Array.from({ length: this.slots }, (_, k) => new StuckEntry(this.slotWords(k, RING0_WATCH_WORDS), boundMs));
    this.piscina = new Piscina({ ...options, workerData: { poolWatch: buffer, boards: this.boards, slots: this.slots } satisfies PoolWatchData });
    this.timer = setInterval(() => this.look(), POLL_MS);
    this.timer.unref();
  }

  /**
   * Runs `task` on a thread (`name`: the worker module's export). `names` gives the devices of
   * the task's scenario, for the report of a hang. `signal` aborts it as piscina's would.
   */
  async run<T extends object, R>(task: T, names: () => Promise<DeviceNames>, options: { name?: string; signal?: AbortSignal } = {}): Promise<R> {
    const id = this.nextTaskId++;
    const abort = new AbortController();
    const entry = { abort, names, hung: null as HungDevice | null, execution: null as HungExecution | null };
    this.running.set(id, entry);
    const forward = (): void => abort.abort(options.signal?.reason);
    if (options.signal?.aborted === true) forward();
    options.signal?.addEventListener('abort', forward, { once: true });
    try {
      const result = await (this.piscina.run({ ...task, poolTaskId: id } satisfies WatchedTask<T>, { ...(options.name !== undefined ? { name: options.name } : {}), signal: abort.signal }) as Promise<PoolTaskResult<R>>);
      if (ranAwayOnPool(result)) throw new PoolTaskRanAway(result.ranAwayOnPool, result.execution);
      return result;
    } catch (error) {
      if (error instanceof PoolTaskRanAway) throw error;
      if (entry.hung !== null) throw new PoolTaskHung(entry.hung, entry.execution);
      throw poolThreadExited(error, 'an explore pool') ?? error;
    } finally {
      options.signal?.removeEventListener('abort', forward);
      this.running.delete(id);
    }
  }

  destroy(): Promise<void> {
    clearInterval(this.timer);
    return this.piscina.destroy();
  }

  private look(): void {
    const now = performance.now();
    for (let k = 0; k < this.slots; k++) {
      const at = this.stuck[k]!.look(now);
      if (at === null) continue;
      const entry = this.running.get(this.words[(k + 1) * SLOT_WORDS + TASK_WORD]!);
      if (entry === undefined || entry.hung !== null) continue;
      // Named with the task's scenario's devices (by index if they cannot be read), then the task
      // is aborted: piscina ends its thread.
      const memory = memoryNearLimit();
      entry.hung = { device: `#${at.deviceIndex}`, proc: `#${at.procIndex}`, stuckMs: at.stuckMs, ...(memory === null ? {} : { memory }) };
      entry.execution = readBoard(this.boards, k);
      void entry.names().then((names) => {
        entry.hung = hungDevice(names, at, memory);
      }, () => undefined).finally(() => entry.abort.abort(new PoolTaskHung(entry.hung!, entry.execution)));
    }
  }

  private slotWords(k: number, length: number): Int32Array {
    return new Int32Array(this.words.buffer, (k + 1) * SLOT_WORDS * Int32Array.BYTES_PER_ELEMENT, length);
  }
}

/** The device names of a task's scenario, for the report of a hang. */
export function namesOf(ref: ScenarioRef): () => Promise<DeviceNames> {
  return async () => deviceNamesOf((await loadScenario(ref)).devices);
}

let attached: Int32Array | null = null;

/** On a pool thread: one task (`body`), watched; a runaway in it returns its execution (RanAwayOnPool) rather than throwing. */
export async function runPoolTask<R>(task: object, body: () => Promise<R>): Promise<PoolTaskResult<R>> {
  watchPoolTask(task);
  try {
    return await body();
  } catch (error) {
    const fault = runFaultOf(error);
    if (fault?.kind !== 'runaway') throw error;
    return { ranAwayOnPool: fault.message, execution: executionBoard.kept() };
  }
}

/** On a pool thread, at the start of each task: the thread's slot (taken at its first task) says which task runs. */
export function watchPoolTask(task: object): void {
  const data = workerData as Partial<PoolWatchData> | undefined;
  const id = (task as Partial<WatchedTask<object>>).poolTaskId;
  if (data?.poolWatch === undefined || data.slots === undefined || id === undefined) return;
  if (attached === null) {
    const words = new Int32Array(data.poolWatch);
    const k = Atomics.add(words, 0, 1) % data.slots;
    attached = new Int32Array(data.poolWatch, (k + 1) * SLOT_WORDS * Int32Array.BYTES_PER_ELEMENT, SLOT_WORDS);
    ring0Watch.attach(attached.subarray(0, RING0_WATCH_WORDS));
    if (data.boards !== undefined) executionBoard.attach(data.boards, k);
  }
  Atomics.store(attached, TASK_WORD, id);
}
