// Only the threads that run device code load the scenario's module: the main thread (which
// validates it) and the VMM actor. The VM and PIC actors get what they need of it as data
// (scenarioShape.ts), so a run of many VMs compiles the user's modules twice, not once per
// actor. Held with a scenario module that notes every thread that imports it, and a run whose
// VMs still trap into the device's entry and whose PIC still raises the device's IRQ.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { threadId } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { runThreads } from '../../../src/actors/threads/orchestrator.js';

const folder = mkdtempSync(join(tmpdir(), 'vmmsim-loads-'));
const loadsFile = join(folder, 'loads.txt');
const scenarioFile = join(folder, 'counted.mjs');
const library = pathToFileURL(resolve('dist/src/index.js')).href;

writeFileSync(scenarioFile, `
import { appendFileSync } from 'node:fs';
import { threadId } from 'node:worker_threads';
import { defineDevice, defineScenario } from ${JSON.stringify(library)};
appendFileSync(${JSON.stringify(loadsFile)}, process.pid + ':' + threadId + '\\n');
const bell = defineDevice({
  name: 'bell',
  state: () => ({ rings: 0 }),
  irqs: [{ irq: 5, hwIntProc: 'hwInt', meanIntervalTicks: 50 }],
  entries: ['ring'],
  procs: {
    hwInt(r) { r.takeHardwareRequest(5); r.physEoi(r.irqHandle(5)); r.callGlobalEvent('rang', 0); },
    rang(r) { r.state.rings++; },
    ring(r) { r.scheduleGlobalEvent('rang', 1); },
  },
});
export default defineScenario({ name: 'counted', vms: 4, devices: [bell], steps: 500 });
`);

afterAll(() => rmSync(folder, { recursive: true, force: true }));

const loads = (): string[] => readFileSync(loadsFile, 'utf8').split('\n').filter((line) => line !== '');
const run = (durationMs: number) => runThreads({ scenario: { kind: 'module', path: scenarioFile }, seed: 5, config: { handleMode: 'checked', latitude: false }, durationMs });

describe('which threads load the scenario module', () => {
  it('of a run\'s 6 workers only the VMM actor: not the 4 VM actors nor the PIC actor', async () => {
    // A first run also loads it in the loader's probe (once per process); after it, a run adds
    // this thread's import and the workers' own.
    await run(200);
    const before = loads().length;
    const result = await run(600);
    expect(result.fault).toBeNull();
    expect(result.outcome).toBe('completed');
    expect(result.workers).toBe(6);
    const added = loads().slice(before).filter((load) => load !== `${process.pid}:${threadId}`);
    expect(added).toHaveLength(1);
    // The VM actors' workloads still know the device's entry (they trap into it: scheduled
    // events), and the PIC actor its IRQ (interrupts taken, each calling an event).
    const counts = result.last!.counts;
    expect(counts.scheduled).toBeGreaterThan(0);
    expect(counts.interrupts).toBeGreaterThan(0);
    expect(result.last!.invariantsOk).toBe(true);
  });
});
