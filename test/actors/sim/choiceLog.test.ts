// The recorded choices of a run: the run-length encoding round-trips, and replaying the log
// makes the core take exactly the same path (same trace hash), or fails loudly.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceLog, RecordingChoices, ReplayChoices, ReplayDivergence } from '../../../src/actors/sim/choiceLog.js';
import { irqSources } from '../../../src/actors/sim/irqSources.js';
import { RandomStrategy } from '../../../src/actors/sim/randomStrategy.js';
import { runSim } from '../../../src/actors/sim/simRun.js';
import { defineScenario } from '../../../src/scenario/scenario.js';
import { Rng } from '../../../src/shared/rng.js';
import type { ChoiceKind } from '../../../src/vmm/choices.js';
import { devicesArb } from '../../support/templates.js';

const KINDS: ChoiceKind[] = ['irq', 'order', 'latitude'];
/** Few distinct values, so runs of equal choices (what the encoding compresses) are common. */
const entryArb = fc.record({ kind: fc.constantFrom(...KINDS), value: fc.oneof(fc.constant(0), fc.constant(1), fc.integer({ min: -5, max: 0x7fffffff })) });
const POINT = { ticks: 0, inRing0: false, eligibleSources: 0xffffffff };

describe('ChoiceLog', () => {
  it('property: deserialize(serialize(log)) gives the same choices; the encoding is run-length', () => {
    fc.assert(fc.property(fc.array(entryArb, { maxLength: 300 }), (entries) => {
      const log = new ChoiceLog();
      for (const e of entries) log.add(e.kind, e.value);
      const triples = log.serialize();
      const back = ChoiceLog.deserialize(triples);
      expect(back.kinds).toEqual(log.kinds);
      expect(back.values).toEqual(log.values);
      expect(triples.reduce((n, [, , repeat]) => n + repeat, 0)).toBe(entries.length);
      for (let i = 1; i < triples.length; i++) {
        expect(triples[i]![0] === triples[i - 1]![0] && triples[i]![1] === triples[i - 1]![1]).toBe(false);
      }
      // It survives JSON, as in a trace file.
      expect(ChoiceLog.deserialize(JSON.parse(JSON.stringify(triples)) as typeof triples).values).toEqual(log.values);
    }));
  });

  it.each([[[7, 0, 1]], [[0, 0, 0]], [[0, 1.5, 1]], [[1, 0, -2]]])('rejects the bad entry %j', (triple) => {
    expect(() => ChoiceLog.deserialize([triple as [number, number, number]])).toThrow(/bad choice entry/);
  });
});

describe('RecordingChoices / ReplayChoices', () => {
  it('records every answer, in order, and a strict replay gives the same answers', () => {
    const answers = { irq: [0, 5, 0], order: [2], latitude: [false] };
    const inner = {
      irqArrivals: () => answers.irq.shift()!,
      nextGlobalEvent: () => answers.order.shift()!,
      callNow: () => answers.latitude.shift()!,
    };
    const recording = new RecordingChoices(inner);
    const asked = [recording.irqArrivals(POINT), recording.nextGlobalEvent(3), recording.irqArrivals(POINT), recording.callNow(), recording.irqArrivals(POINT)];
    expect(asked).toEqual([0, 2, 5, false, 0]);
    const replay = new ReplayChoices(ChoiceLog.deserialize(recording.log.serialize()), true);
    expect([replay.irqArrivals(POINT), replay.nextGlobalEvent(3), replay.irqArrivals(POINT), replay.callNow(), replay.irqArrivals(POINT)]).toEqual(asked);
    expect(replay.exhausted).toBe(true);
  });

  it('a strict replay that is asked a different question, or one too many, throws ReplayDivergence', () => {
    const log = new ChoiceLog();
    log.add('irq', 1);
    const wrongKind = new ReplayChoices(log, true);
    expect(() => wrongKind.nextGlobalEvent(2)).toThrow(ReplayDivergence);
    const tooMany = new ReplayChoices(log, true);
    tooMany.irqArrivals(POINT);
    const error = (() => {
      try {
        tooMany.irqArrivals(POINT);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(ReplayDivergence);
    expect((error as ReplayDivergence).index).toBe(1);
  });

  it('a lenient replay past its end answers "nothing happens" (no IRQ, FIFO, call now), and masks IRQs to the eligible ones', () => {
    const log = new ChoiceLog();
    log.add('irq', 0b111);
    const replay = new ReplayChoices(log, false);
    expect(replay.irqArrivals({ ...POINT, eligibleSources: 0b101 })).toBe(0b101);
    expect([replay.irqArrivals(POINT), replay.nextGlobalEvent(4), replay.callNow()]).toEqual([0, 0, true]);
    expect(replay.consumed).toBe(4);
  });

  it('property: replaying a recorded run of a random machine reproduces it exactly (same trace hash)', () => {
    const modeArb = fc.constantFrom('poisson' as const, 'uniform' as const);
    const handleModeArb = fc.constantFrom('checked' as const, 'pooled' as const);
    fc.assert(fc.property(devicesArb, fc.integer(), fc.integer({ min: 1, max: 4 }), fc.boolean(), handleModeArb, modeArb, (devices, seed, vms, latitude, handleMode, mode) => {
      const scenario = defineScenario({ name: 'random', vms, devices });
      // Poisson mode draws at each device's (random) IRQ rate; uniform mode at any preemption point.
      const strategy = new RandomStrategy(new Rng(seed).child('strategy'), irqSources(devices), { mode, p: 0.05, irqBudget: 200 });
      const recording = new RecordingChoices(strategy);
      const config = { handleMode, latitude };
      const recorded = runSim({ scenario, seed, steps: 300, choices: recording, config });
      const replay = new ReplayChoices(ChoiceLog.deserialize(recording.log.serialize()), true);
      const replayed = runSim({ scenario, seed, steps: 300, choices: replay, config });
      expect(replayed.traceHash).toBe(recorded.traceHash);
      expect(replayed.records).toBe(recorded.records);
      expect(replay.exhausted).toBe(true);
    }), { numRuns: 25 });
  });
});
