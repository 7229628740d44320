/**
 * The peer: the zoo's stale-cancel race (a callback that does not zero its saved handle, and a
 * later cancel that hits the stale handle) modelled with fast-check's `fc.scheduler`, which
 * explores the interleavings of promises. Three actors, each a few steps:
 *   irq:     if nothing is saved, schedule the event and save its handle
 *   process: dispatch pending events (the buggy callback forgets to zero the saved handle)
 *   trap:    xchg the saved handle with 0 and cancel it (stale → the bug)
 * Measured: timed batches of executions (with the fixed callback, so every run completes), and
 * executions until fast-check first reports the bug (rounds.ts puts them beside vmmsim's).
 */
import fc from 'fast-check';
import { performance } from 'node:perf_hooks';

class TinyEventTable {
  private generation = 0;
  private readonly pending = new Set<number>();

  schedule(): number {
    const handle = ++this.generation;
    this.pending.add(handle);
    return handle;
  }

  /** Runs every pending callback; returns the handles dispatched. */
  dispatchAll(): number[] {
    const handles = [...this.pending];
    this.pending.clear();
    return handles;
  }

  cancel(handle: number): 'zero' | 'cancelled' | 'stale' {
    if (handle === 0) return 'zero';
    return this.pending.delete(handle) ? 'cancelled' : 'stale';
  }
}

const ROUNDS = 3;

async function raceExecution(s: fc.Scheduler, zeroesHandle: boolean): Promise<void> {
  const table = new TinyEventTable();
  let saved = 0;
  const actor = (label: string, body: () => void): Promise<void> => {
    let chain = Promise.resolve();
    for (let round = 0; round < ROUNDS; round++) chain = chain.then(() => s.schedule(Promise.resolve(label)).then(body));
    return chain;
  };
  const irq = actor('irq', () => {
    if (saved === 0) saved = table.schedule();
  });
  const processing = actor('process', () => {
    for (const handle of table.dispatchAll()) if (zeroesHandle && saved === handle) saved = 0;
  });
  const trap = actor('trap', () => {
    const handle = saved;
    saved = 0;
    if (table.cancel(handle) === 'stale') throw new Error('stale cancel');
  });
  await s.waitFor(Promise.all([irq, processing, trap]));
}

/** One timed batch of executions: how many, and the wall and CPU time they took. */
export interface TimedBatch {
  executions: number;
  wallMs: number;
  /** CPU time of the whole process (every thread), user + system. */
  cpuUs: number;
}

/** `runs` executions of the fixed race (every one completes), timed: one `fc.assert` call, as a user runs it. */
export async function timeFastCheckRace(runs: number, seed: number): Promise<TimedBatch> {
  let executions = 0;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  await fc.assert(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      executions++;
      await raceExecution(s, true);
    }),
    { numRuns: runs, seed },
  );
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  return { executions, wallMs, cpuUs: cpu.user + cpu.system };
}

/** Executions until fast-check first reports the bug (the buggy race), null if not within `maxRuns`. */
export async function fastCheckExecsToFirstBug(seed: number, maxRuns = 100_000): Promise<number | null> {
  let toBug = 0;
  let firstBugAt: number | null = null;
  const details = await fc.check(
    fc.asyncProperty(fc.scheduler(), async (s) => {
      toBug++;
      try {
        await raceExecution(s, false);
      } catch (error) {
        firstBugAt ??= toBug;
        throw error;
      }
    }),
    { numRuns: maxRuns, seed, endOnFailure: true },
  );
  return details.failed ? firstBugAt : null;
}
