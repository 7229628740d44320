// The op-path bench hands every op back through the rings (its checksum would throw otherwise)
// and reports a CPU time per op; its speed is measured in bench/, never asserted here.
import { describe, expect, it } from 'vitest';
import { measureOpPathCost } from '../../bench/threads/opPathCost.js';

describe('op path cost bench', () => {
  it('takes every VM its ops back, whole, over rounds that wrap the rings', () => {
    const cost = measureOpPathCost(3, 20);
    expect(cost).toMatchObject({ vms: 3, rounds: 20 });
    expect(Number.isFinite(cost.nsPerOp)).toBe(true);
  });
});
