// The core hands each record to its sink with its kind's number (recordKinds.ts), and the checker
// and the counters switch on that number alone: a number that named another kind would send the
// record to the wrong rules. Every record of the default scenario and of every zoo scenario must
// come with the number of its own kind.
import { describe, expect, it } from 'vitest';
import { irqSources } from '../../src/actors/sim/irqSources.js';
import { RandomStrategy } from '../../src/actors/sim/randomStrategy.js';
import { seededWorkload } from '../../src/actors/workload.js';
import { defaultScenario } from '../../src/scenario/default.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { Rng } from '../../src/shared/rng.js';
import { Counter } from '../../src/vmm/counters.js';
import type { HistoryRecord } from '../../src/vmm/history.js';
import { copyRecord } from '../../src/vmm/recordRing.js';
import { KIND, KIND_NAMES, kindOf } from '../../src/vmm/recordKinds.js';
import { Vmm } from '../../src/vmm/vmm.js';
import { ZOO } from '../../examples/zoo/index.js';

interface Run { wrong: string[]; records: HistoryRecord[]; kinds: number[]; vmm: Vmm }

function run(scenario: Scenario, seed: number, steps: number, seen: Set<string>): Run {
  const wrong: string[] = [];
  const records: HistoryRecord[] = [];
  const kinds: number[] = [];
  const choices = new RandomStrategy(new Rng(seed), irqSources(scenario.devices), { mode: 'uniform', p: 0.2, shuffleGlobals: true });
  const vmm = new Vmm({ ...scenario.config, vms: scenario.vms }, scenario.devices, choices, seededWorkload(seed, scenario), (record, kind) => {
    if (KIND_NAMES[kind] !== record.k) wrong.push(`${record.k} came as ${KIND_NAMES[kind] ?? kind}`);
    seen.add(record.k);
    records.push(copyRecord(record));
    kinds.push(kind);
  });
  for (let i = 0; i < steps; i++) vmm.step();
  return { wrong, records, kinds, vmm };
}

describe('record kind numbers', () => {
  it('number every kind once, in the order of KIND_NAMES', () => {
    expect(new Set(KIND_NAMES).size).toBe(KIND_NAMES.length);
    KIND_NAMES.forEach((name, i) => expect(KIND[name]).toBe(i));
    expect(kindOf({ k: 'boost' } as HistoryRecord)).toBe(KIND.boost);
  });

  it('come with every record the core makes, each its own kind', () => {
    const seen = new Set<string>();
    const wrong = run(defaultScenario(4, 4000), 1, 4000, seen).wrong;
    for (const entry of ZOO) for (const fixed of [false, true]) wrong.push(...run(entry.scenario(fixed), 3, 400, seen).wrong);
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(seen.size).toBeGreaterThanOrEqual(24);
  });

  // The core counts as it makes each record (records.ts); Counter.count, from the finished
  // records, is the definition it is held to.
  it('count at the source what the finished records count, on the default scenario and every zoo scenario', () => {
    const runs = [run(defaultScenario(4, 3000), 2, 3000, new Set())];
    for (const entry of ZOO) for (const fixed of [false, true]) runs.push(run(entry.scenario(fixed), 5, 400, new Set()));
    let nonZero = new Set<string>();
    for (const { records, kinds, vmm } of runs) {
      const fromRecords = new Counter();
      records.forEach((r, i) => fromRecords.count(r, kinds[i]!));
      expect(vmm.trace.counter.counts).toEqual(fromRecords.counts);
      const byName = new Counter();
      records.forEach((r) => byName.onRecord(r));
      expect(byName.counts).toEqual(fromRecords.counts);
      nonZero = new Set([...nonZero, ...Object.entries(fromRecords.counts).filter(([, n]) => n > 0).map(([name]) => name)]);
    }
    // Most counters moved somewhere, so the comparison covers their call sites.
    expect(nonZero.size).toBeGreaterThanOrEqual(20);
  });
});
