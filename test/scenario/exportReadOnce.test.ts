/**
 * A scenario module's export is read once, by the validation, and the run uses that reading: the
 * loader returns zod's copy, not the live export. Getters that answer differently the second time
 * (a mix weight valid once and NaN after, a step count that grows to 1e15, a device's IRQ list
 * that names a procedure it lacks) slipped past the checks: an internal error (exit 70) or an
 * explore that did not end.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioModule } from '../../src/scenario/load.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { QUIET_CHOICES } from '../../src/vmm/choices.js';
import { campaignSpec, explore } from '../../src/explore/explore.js';

const dir = mkdtempSync(join(tmpdir(), 'vmmsim-read-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A plain-object scenario (no imports): a sound card whose IRQ schedules a refill.
const BASE = `
const IRQ = 5;
const sound = {
  name: 'sound',
  state: () => ({ playing: false, blocks: 0 }),
  irqs: [{ irq: IRQ, hwIntProc: 'blockDone', meanIntervalTicks: 300 }],
  slots: ['refill'],
  entries: ['start', 'stop'],
  procs: {
    blockDone(r) { r.takeHardwareRequest(IRQ); r.physEoi(r.irqHandle(IRQ)); r.state.blocks++;
      if (r.state.playing) { const h = r.callGlobalEvent('refill', 0); if (h !== 0) r.slot('refill').write(h); } },
    refill(r) { r.slot('refill').write(0); },
    start(r) { r.state.playing = true; },
    stop(r) { r.cancelGlobalEvent(r.slot('refill').xchg(0)); r.state.playing = false; },
  },
};
const base = { name: 'flip', vms: 2, devices: [sound], mix: { run: 30, trap: 60, interruptFlag: 5, runTicksMean: 40 }, steps: 60 };
let reads = 0;
`;

const modules = {
  // Each getter counts its reads; the first answer is valid, every later one is not.
  'steps.mjs': `${BASE}
const s = { ...base };
Object.defineProperty(s, 'steps', { enumerable: true, get() { reads++; return reads <= 1 ? 60 : 1e15; } });
Object.defineProperty(s, 'vms', { enumerable: true, get() { return reads <= 1 ? 2 : 1000; } });
export default s;`,
  'mix.mjs': `${BASE}
const mix = { ...base.mix };
Object.defineProperty(mix, 'run', { enumerable: true, get() { reads++; return reads <= 1 ? 30 : NaN; } });
Object.defineProperty(mix, 'trap', { enumerable: true, get() { return reads <= 1 ? 60 : -1e9; } });
export default { ...base, mix };`,
  'irqs.mjs': `${BASE}
const dev = { ...sound };
Object.defineProperty(dev, 'irqs', { enumerable: true, get() { reads++; return reads <= 1 ? sound.irqs : [{ irq: 2, hwIntProc: 'nope', meanIntervalTicks: -5 }]; } });
export default { ...base, devices: [dev] };`,
};
for (const [file, text] of Object.entries(modules)) writeFileSync(join(dir, file), text);

describe('a scenario export read again after its validation', () => {
  it.each(Object.keys(modules))('%s: the loaded scenario holds the values that were checked, as plain data', async (file) => {
    const scenario = await loadScenarioModule(join(dir, file));
    // Read twice: a getter would answer differently the second time.
    for (let read = 0; read < 2; read++) {
      expect(scenario.steps).toBe(60);
      expect(scenario.vms).toBe(2);
      expect(scenario.mix?.run).toBe(30);
      expect(scenario.mix?.trap).toBe(60);
      expect(scenario.devices[0]!.irqs).toEqual([{ irq: 5, hwIntProc: 'blockDone', meanIntervalTicks: 300 }]);
    }
  });

  it.each(Object.keys(modules))('%s: a run and a campaign use them (no internal error, an end)', async (file) => {
    const scenario = await loadScenarioModule(join(dir, file));
    const run = runSim({ scenario, seed: 1, steps: scenario.steps!, choices: QUIET_CHOICES });
    expect(run.steps).toBe(60);
    expect(run.violations).toEqual([]);
    const ref = { kind: 'module' as const, path: join(dir, file) };
    const outcome = await explore(scenario, campaignSpec({ scenario, scenarioRef: ref, strategy: 'random', seed: 1, iterations: 20 }));
    expect(outcome.campaign.first).toBeNull();
    expect(outcome.campaign.executions).toBe(20);
  });
});
