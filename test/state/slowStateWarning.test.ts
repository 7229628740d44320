// Stateful dfs reads the machine's state at every step boundary; a device that keeps a large
// buffer as a JavaScript array made each execution take 30 s with nothing saying why (an outside
// audit). The search warns once, on stderr, and names --stateless; its results do not change.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defineScenario } from '../../src/scenario/scenario.js';
import { defineDevice } from '../../src/vmm/device.js';
import { explore, spec } from '../support/dfsFixtures.js';

const IRQ = 3;

/** One VM that traps into a device whose state holds `values` numbers. */
function holding(values: number) {
  return defineScenario({
    name: `holding-${values}`, vms: 1,
    devices: [defineDevice<{ buffer: number[]; n: number }>({
      name: 'dev', state: () => ({ buffer: new Array<number>(values).fill(7), n: 0 }), entries: ['poke'],
      irqs: [{ irq: IRQ, options: 0, hwIntProc: 'hwInt', meanIntervalTicks: 50 }],
      procs: {
        poke(r) {
          r.state.n++;
        },
        hwInt(r) {
          r.takeHardwareRequest(IRQ);
          r.physEoi(r.irqHandle(IRQ));
        },
      },
    })],
    mix: { run: 0, trap: 1, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
  });
}

function stderrOf(run: () => void): string {
  let text = '';
  const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((text += String(chunk)), true));
  try {
    run();
  } finally {
    write.mockRestore();
  }
  return text;
}

afterEach(() => vi.restoreAllMocks());

describe('stateful dfs on a large device state', () => {
  it('a small state: no warning, and the stateful search agrees with the stateless one', () => {
    const small = holding(10);
    let stateful!: ReturnType<typeof explore>;
    const warned = stderrOf(() => (stateful = explore(small, spec(4, 1, 0, 100_000, { prune: false, fork: true }))));
    expect(warned).toBe('');
    expect(stateful.exhausted).toBe(true);
    expect(stateful.hashes).toEqual(explore(small, spec(4, 1, 0)).hashes);
  });

  it('a state of 300,000 values: one warning naming --stateless, and the same executions', () => {
    const large = holding(300_000);
    let stateful!: ReturnType<typeof explore>;
    // Forking alone (no pruning) runs the very executions the stateless search runs.
    const warned = stderrOf(() => (stateful = explore(large, spec(3, 1, 0, 100_000, { prune: false, fork: true }))));
    expect(warned.split('\n').filter((line) => line !== '')).toEqual([
      expect.stringMatching(/^vmmsim explore: warning: stateful dfs reads the machine's state at every step boundary, and (checking|digesting|copying) it took \d+ ms \(a large device state\?\); --stateless re-runs each execution from step 0 instead/),
    ]);
    expect(stateful.exhausted).toBe(true);
    expect(stateful.hashes).toEqual(explore(large, spec(3, 1, 0)).hashes);
  }, 120_000);
});
