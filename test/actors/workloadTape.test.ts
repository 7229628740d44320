/**
 * The explorer replays a campaign's workload from a tape drawn once (WorkloadTape): each player
 * must give every VM exactly the stream the seeded workload gives, however the VMs' requests
 * interleave, and past the tape's end too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { zooEntry } from '../../examples/zoo/index.js';
import { seededWorkload } from '../../src/actors/workload.js';
import { TAPE_OPS_MAX, WorkloadTape } from '../../src/actors/workloadTape.js';
import { defaultScenario } from '../../src/scenario/default.js';

describe('WorkloadTape', () => {
  const scenarios = [defaultScenario(4, 100), zooEntry('stale-handle')!.scenario(false)];

  it('every player gives each VM the seeded workload stream, in any interleaving of VMs', () => {
    fc.assert(fc.property(fc.nat(1), fc.integer(), fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 300 }), fc.integer({ min: 1, max: 3 }), (which, seed, vmOrder, players) => {
      const scenario = scenarios[which]!;
      const tape = new WorkloadTape(seed, scenario);
      for (let p = 0; p < players; p++) {
        const fresh = seededWorkload(seed, scenario);
        const played = tape.play();
        // Each player reads a different prefix of the order: the tape grows under later players.
        for (const vm of vmOrder.slice(0, vmOrder.length - p * 50)) expect(played.next(vm)).toEqual(fresh.next(vm));
      }
    }), { seed: 21, numRuns: 60 });
  });

  it('a VM that runs past the tape draws the rest of its stream itself', () => {
    const scenario = scenarios[1]!;
    const tape = new WorkloadTape(5, scenario);
    const fresh = seededWorkload(5, scenario);
    const played = tape.play();
    const ops = TAPE_OPS_MAX + 300;
    for (let i = 0; i < ops; i++) {
      const a = played.next(1);
      const b = fresh.next(1);
      if (JSON.stringify(a) !== JSON.stringify(b)) expect({ i, op: a }).toEqual({ i, op: b });
    }
    expect(played.next(2)).toEqual(fresh.next(2));
  });
});
