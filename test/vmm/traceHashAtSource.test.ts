// The trace hash is computed where each record is made (records.ts), from the record's fields in
// hand. It must be exactly the hash that the definition (test/support/traceOracle.ts, reading each
// finished record) gives for the same stream: same hex, same record count, same checkpoints.
import { describe, expect, it } from 'vitest';
import { irqSources } from '../../src/actors/sim/irqSources.js';
import { RandomStrategy } from '../../src/actors/sim/randomStrategy.js';
import { runSim } from '../../src/actors/sim/simRun.js';
import { defaultScenario } from '../../src/scenario/default.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { Rng } from '../../src/shared/rng.js';
import type { HistoryKind } from '../../src/vmm/history.js';
import { ZOO } from '../../examples/zoo/index.js';
import { TraceOracle } from '../support/traceOracle.js';
import { SERVICES, type ServiceName } from '../../src/vmm/services.js';
import { SERVICE_WORD, stringWord } from '../../src/vmm/traceHash.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { ackIrq, testDevice } from '../support/devices.js';

function compare(scenario: Scenario, seed: number, steps: number, mode: 'poisson' | 'uniform', kinds: Set<HistoryKind>): void {
  const oracle = new TraceOracle();
  const reference = oracle.recorder;
  const choices = new RandomStrategy(new Rng(seed), irqSources(scenario.devices), { mode, p: 0.2, shuffleGlobals: true });
  const result = runSim({
    scenario, seed, steps, choices,
    onRecord: (record) => {
      oracle.onRecord(record);
      kinds.add(record.k);
    },
  });
  expect(result.records).toBe(reference.hasher.records);
  expect(result.traceHash).toBe(reference.hasher.hex());
  expect(result.checkpoints).toEqual(reference.checkpoints);
}

describe('the trace hash fed at the source', () => {
  it('takes each service name\'s word computed once (SERVICE_WORD): the word of the name as a string', () => {
    const names = Object.keys(SERVICES) as ServiceName[];
    expect(Object.keys(SERVICE_WORD)).toEqual(names);
    for (const name of names) expect(SERVICE_WORD[name]).toBe(stringWord(name));
  });

  it('equals the hash of the finished records, on the default scenario and every zoo scenario', () => {
    const kinds = new Set<HistoryKind>();
    for (const seed of [1, 2]) {
      compare(defaultScenario(4, 6000), seed, 6000, 'poisson', kinds);
      compare(defaultScenario(4, 3000), seed, 3000, 'uniform', kinds);
    }
    for (const entry of ZOO) for (const fixed of [false, true]) compare(entry.scenario(fixed), 3, 400, 'uniform', kinds);
    // The comparison saw nearly every kind of record (the rare ones: a VM destroyed with events pending).
    expect(kinds.size).toBeGreaterThanOrEqual(26);
  });

  it('equals it on the physical mask\'s records (a line masked in its Hw_Int_Proc, unmasked by the event it scheduled)', () => {
    const nic = testDevice('nic', {
      hwInt(r) {
        r.physicallyMask(r.irqHandle(5));
        ackIrq(r, 5);
        r.scheduleGlobalEvent('work', 0);
      },
      work: (r) => r.physicallyUnmask(r.irqHandle(5)),
      poke: (r) => void r.currentVm(),
    }, { irq: 5, entries: ['poke'], meanIntervalTicks: 30 });
    const kinds = new Set<HistoryKind>();
    compare(defineScenario({ name: 'masking', vms: 2, devices: [nic] }), 4, 2000, 'uniform', kinds);
    expect(kinds.has('physMask')).toBe(true);
  });
});
