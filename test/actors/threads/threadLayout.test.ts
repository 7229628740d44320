// The thread layout (threadLayout.ts): the VMM actor on a CPU of its own, the other actors on
// the rest with every other thread of the process; where placing cannot be done, every thread
// runs where the kernel puts it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runThreads } from '../../../src/actors/threads/orchestrator.js';
import { allowedCpus, busyElsewhereCpus, parseCpuList, planLayout } from '../../../src/actors/threads/threadLayout.js';
import { firstMessage, spawnTsWorker } from '../../shared/fixtures/spawnTsWorker.js';

describe('the kernel CPU list', () => {
  it('reads ranges and single CPUs, in order', () => {
    expect(parseCpuList('0-1')).toEqual([0, 1]);
    expect(parseCpuList('0,2-4,7\n')).toEqual([0, 2, 3, 4, 7]);
  });

  it('refuses what is not a CPU list', () => {
    expect(parseCpuList('')).toBeNull();
    expect(parseCpuList('3-1')).toBeNull();
    expect(parseCpuList('0-1,x')).toBeNull();
  });
});

describe('the layout plan', () => {
  it('gives the VMM the last CPU and the other actors the rest', () => {
    expect(planLayout('split', [0, 1])).toEqual({ vmmCpus: [1], actorCpus: [0] });
    expect(planLayout('split', [0, 2, 3, 5])).toEqual({ vmmCpus: [5], actorCpus: [0, 2, 3] });
  });

  it('places nothing when other processes keep half the CPUs busy, unless told to', () => {
    expect(planLayout('auto', [0, 1], 1)).toBeNull();
    expect(planLayout('auto', [0, 1], 0.6)).toEqual({ vmmCpus: [1], actorCpus: [0] });
    expect(planLayout('auto', [0, 1, 2, 3], 1.5)).toEqual({ vmmCpus: [3], actorCpus: [0, 1, 2] });
    expect(planLayout('auto', [0, 1, 2, 3], 2)).toBeNull();
    expect(planLayout('split', [0, 1], 2)).toEqual({ vmmCpus: [1], actorCpus: [0] });
  });

  it("measures other processes' CPU use as CPUs' worth, between none and every CPU (Linux)", async () => {
    const busy = await busyElsewhereCpus(50);
    if (process.platform !== 'linux') return expect(busy).toBeNull();
    expect(busy).not.toBeNull();
    expect(busy!).toBeGreaterThanOrEqual(0);
    expect(busy!).toBeLessThanOrEqual(availableParallelism() + 0.5);
  });

  it('places nothing with one CPU, an unknown set, or the shared layout', () => {
    expect(planLayout('split', [3])).toBeNull();
    expect(planLayout('split', null)).toBeNull();
    expect(planLayout('shared', [0, 1, 2])).toBeNull();
  });
});

// Placing a thread needs Linux's /proc and util-linux's taskset; elsewhere the run goes unplaced.
const canPlace = existsSync('/proc/thread-self/status') && (allowedCpus()?.length ?? 0) >= 2 && ['/usr/bin/taskset', '/bin/taskset'].some(existsSync);

describe.runIf(canPlace)('placing a thread', () => {
  it('holds that thread, and only it, to the CPUs given', async () => {
    const mine = allowedCpus()!;
    const target = [mine[mine.length - 1]!];
    const worker = spawnTsWorker('../../actors/threads/fixtures/placedThread.ts', { cpus: target });
    try {
      const report = await firstMessage<{ placed: boolean; before: number[]; after: number[] }>(worker);
      expect(report).toEqual({ placed: true, before: mine, after: target });
      expect(allowedCpus()).toEqual(mine); // the test's own thread is where it was
    } finally {
      await worker.terminate();
    }
  }, 60_000);

  it('runs the VMM actor on the last CPU, then gives the caller its CPUs back', async () => {
    const mine = allowedCpus()!;
    const run = await runThreads({ scenario: { kind: 'builtin', vms: 2 }, seed: 3, config: { handleMode: 'checked', latitude: false }, durationMs: 300, threadLayout: 'split' });
    expect(run.outcome).toBe('completed');
    expect(run.vmm!.placement?.cpus).toEqual([mine[mine.length - 1]]);
    expect(allowedCpus()).toEqual(mine);
  }, 60_000);

  it("holds every other thread of the process, V8's background workers too, off the VMM's CPU while the run goes", async () => {
    const mine = allowedCpus()!;
    const vmmCpu = [mine[mine.length - 1]!];
    const actorCpus = mine.slice(0, -1);
    const running = runThreads({ scenario: { kind: 'builtin', vms: 2 }, seed: 3, config: { handleMode: 'checked', latitude: false }, durationMs: 1500, threadLayout: 'split' });
    // Once the VMM has placed itself, every thread is on its CPU or on the actors'.
    let seen: string[] = [];
    const deadlineMs = performance.now() + 30_000;
    while (!seen.includes(vmmCpu.join(',')) && performance.now() < deadlineMs) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      seen = processThreadCpus();
    }
    const run = await running;
    expect(run.outcome).toBe('completed');
    expect(seen.filter((cpus) => cpus === vmmCpu.join(','))).toHaveLength(1);
    expect(seen.filter((cpus) => cpus !== vmmCpu.join(',') && cpus !== actorCpus.join(','))).toEqual([]);
    expect(seen.length).toBeGreaterThan(1 + 5); // the test's thread, 5 actors (a PIC, a VMM, 3 VMs), and background ones
    expect(new Set(processThreadCpus())).toEqual(new Set([mine.join(',')])); // all given back
  }, 60_000);

  it('places nothing with the shared layout', async () => {
    const run = await runThreads({ scenario: { kind: 'builtin', vms: 2 }, seed: 3, config: { handleMode: 'checked', latitude: false }, durationMs: 300, threadLayout: 'shared' });
    expect(run.outcome).toBe('completed');
    expect(run.vmm!.placement).toBeNull();
  }, 60_000);

  it('places one of two runs at the same time, never two VMMs on one CPU', async () => {
    const mine = allowedCpus()!;
    const options = { scenario: { kind: 'builtin', vms: 1 }, seed: 5, config: { handleMode: 'checked', latitude: false }, durationMs: 300, threadLayout: 'split' } as const;
    const runs = await Promise.all([runThreads(options), runThreads(options)]);
    expect(runs.map((run) => run.outcome)).toEqual(['completed', 'completed']);
    expect(runs.filter((run) => run.vmm!.placement !== null)).toHaveLength(1);
    expect(allowedCpus()).toEqual(mine);
  }, 60_000);
});

/** Each thread's allowed CPUs (comma-separated CPU numbers), for every thread of this process. */
function processThreadCpus(): string[] {
  return readdirSync('/proc/self/task').flatMap((tid) => {
    try {
      const list = /^Cpus_allowed_list:\s*(\S+)/m.exec(readFileSync(`/proc/self/task/${tid}/status`, 'utf8'))?.[1];
      const cpus = list === undefined ? null : parseCpuList(list);
      return cpus === null ? [] : [cpus.join(',')];
    } catch {
      return []; // the thread ended meanwhile
    }
  });
}
