import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunLoop } from '../../src/actors/runLoop.js';
import { defaultStrategy } from '../../src/actors/sim/simulate.js';
import { defaultScenario } from '../../src/scenario/default.js';
import { defineScenario } from '../../src/scenario/scenario.js';
import { MACHINE_SKIP, runLoopDigest } from '../../src/state/machine.js';
import type { ChoiceSource } from '../../src/vmm/choices.js';
import { ackIrq, bump, testDevice } from '../support/devices.js';

const IRQ = 3;

/** One VM that only computes; one IRQ source whose handler counts its interrupts. */
const counting = defineScenario({
  name: 'counting', vms: 1,
  devices: [testDevice('tick', { hwInt: (r) => { ackIrq(r, IRQ); bump(r, 'irqs'); } }, { irq: IRQ, entries: [] })],
  mix: { run: 1, trap: 0, interruptFlag: 0, iret: 0, eoi: 0, mask: 0, mode: 0 },
});

/** Asserts the one source at the given step boundaries (1-based steps), nowhere else. */
function irqAtSteps(steps: number[], loop: () => RunLoop): ChoiceSource {
  return {
    irqArrivals: (point) => (steps.includes(loop().steps + 1) ? point.eligibleSources : 0),
    nextGlobalEvent: () => 0,
    callNow: () => true,
  };
}

function runCounting(irqSteps: number[], steps: number): { digest: string; hash: string } {
  let loop!: RunLoop;
  loop = new RunLoop({ scenario: counting, seed: 3, choices: irqAtSteps(irqSteps, () => loop) });
  for (let i = 0; i < steps; i++) loop.step();
  const digest = runLoopDigest(loop);
  return { digest, hash: loop.finish().traceHash };
}

describe('machine digest: the same state gives the same digest, whatever the history', () => {
  it('an interrupt at step 2 or at step 4 reaches the same state after step 5: equal digests, different trace hashes', () => {
    const early = runCounting([2], 5);
    const late = runCounting([4], 5);
    expect(early.hash).not.toBe(late.hash);
    expect(early.digest).toBe(late.digest);
    // Not the state without the interrupt, nor the one with two.
    expect(runCounting([], 5).digest).not.toBe(early.digest);
    expect(runCounting([2, 4], 5).digest).not.toBe(early.digest);
    // Nor the same machine one step later.
    expect(runCounting([2], 6).digest).not.toBe(early.digest);
  });

  it("the VMM's running count of events scheduled at interrupt time and its last dispatched callback are no state: only the pass that wrote them reads them", () => {
    let loop!: RunLoop;
    loop = new RunLoop({ scenario: counting, seed: 3, choices: irqAtSteps([1, 2], () => loop) });
    loop.step();
    loop.step();
    const before = runLoopDigest(loop);
    loop.vmm.eventsFromInterrupts += 7;
    loop.vmm.lastDispatchedCallback ^= 0x10;
    expect(runLoopDigest(loop)).toBe(before);
  });

  it('is a pure function of the state: taking it changes nothing and twice gives the same', () => {
    let loop!: RunLoop;
    loop = new RunLoop({ scenario: counting, seed: 3, choices: irqAtSteps([1], () => loop) });
    loop.step();
    expect(runLoopDigest(loop)).toBe(runLoopDigest(loop));
  });
});

/** Every primitive leaf of the digested state, as [holder, key] (a Map entry's holder is the Map). */
function leaves(root: unknown): [object, string | number | unknown][] {
  const out: [object, string | number | unknown][] = [];
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    const object = value;
    if (ArrayBuffer.isView(object) && !(object instanceof DataView)) {
      const array = object as unknown as Uint8Array;
      for (let i = 0; i < array.length; i++) out.push([object, i]);
      return;
    }
    if (object instanceof DataView || object instanceof ArrayBuffer) {
      const bytes = object instanceof DataView ? new Uint8Array(object.buffer, object.byteOffset, object.byteLength) : new Uint8Array(object);
      for (let i = 0; i < bytes.length; i++) out.push([bytes, i]);
      return;
    }
    if (object instanceof Map) {
      for (const [key, item] of object) {
        if (item !== null && typeof item === 'object') visit(item);
        else if (typeof item === 'number' || typeof item === 'boolean') out.push([object, key]);
      }
      return;
    }
    if (object instanceof Set) return;
    const skipped = MACHINE_SKIP.keys.get(object.constructor);
    const isFreeNode = 'scheduledSeq' in object && (object as unknown as { live: boolean }).live === false;
    for (const key of Object.keys(object)) {
      if (skipped?.has(key) || key === 'scheduledSeq') continue;
      if (isFreeNode && key !== 'generation') continue;
      const item = (object as Record<string, unknown>)[key];
      // A frozen object (a built-in device's spec: its IRQ lines) cannot change at run time: configuration, not state.
      if ((typeof item === 'number' || typeof item === 'boolean') && !Object.isFrozen(object)) out.push([object, key]);
      else visit(item);
    }
  };
  visit(root);
  return out;
}

function get(holder: object, key: unknown): unknown {
  return holder instanceof Map ? holder.get(key) : (holder as Record<string, unknown>)[key as string];
}
function set(holder: object, key: unknown, value: unknown): void {
  if (holder instanceof Map) holder.set(key, value);
  else (holder as Record<string, unknown>)[key as string] = value;
}

describe('machine digest: any change of any field changes it', () => {
  it('changing one state field of a running default machine (VMs, events, handles, PICs, devices, slots, workload) changes the digest', () => {
    const scenario = defaultScenario(4, 300);
    const loop = new RunLoop({ scenario, seed: 11, choices: defaultStrategy(scenario, 11).choices });
    for (let i = 0; i < 300; i++) loop.step();
    const all = leaves({ vmm: loop.vmm, workload: loop.vmm.ops });
    expect(all.length).toBeGreaterThan(200);
    const before = runLoopDigest(loop);
    fc.assert(
      fc.property(fc.nat({ max: all.length - 1 }), (index) => {
        const [holder, key] = all[index]!;
        const old = get(holder, key);
        const changed = typeof old === 'boolean' ? !old : ArrayBuffer.isView(holder) ? ((old as number) + 1) & 0xff : (old as number) + 1;
        set(holder, key, changed);
        try {
          expect(runLoopDigest(loop)).not.toBe(before);
        } finally {
          set(holder, key, old);
        }
        expect(runLoopDigest(loop)).toBe(before);
      }),
      { seed: 16, numRuns: 400 },
    );
  });
});
