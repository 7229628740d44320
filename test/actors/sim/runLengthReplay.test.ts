/**
 * Replaying straight from run-length-encoded choices answers exactly as the expanded log does
 * (ReplayChoices, strict), divergences included: so a trace too long to expand still replays.
 */
import { describe, expect, it } from 'vitest';
import { ChoiceLog, ReplayChoices, type SerializedChoices } from '../../../src/actors/sim/choiceLog.js';
import { RunLengthReplay } from '../../../src/actors/sim/runLengthReplay.js';

const POINT = { eligibleSources: 0b1011 } as Parameters<ReplayChoices['irqArrivals']>[0];

/** Asks both sources the same questions and returns each one's answers (or the error it threw). */
function ask(triples: SerializedChoices, questions: string[]): [unknown[], unknown[]] {
  const answers = (source: ReplayChoices | RunLengthReplay): unknown[] => {
    const out: unknown[] = [];
    try {
      for (const q of questions) {
        if (q === 'irq') out.push(source.irqArrivals(POINT));
        else if (q === 'order') out.push(source.nextGlobalEvent(3));
        else if (q === 'latitude') out.push(source.callNow());
        else out.push(source.clientStillRunning());
      }
    } catch (error) {
      out.push(`${(error as Error).name}: ${(error as Error).message}`);
    }
    out.push(source.consumed, source.exhausted);
    return out;
  };
  return [answers(new ReplayChoices(ChoiceLog.deserialize(triples), true)), answers(new RunLengthReplay(triples))];
}

describe('replay from run-length-encoded choices', () => {
  const triples: SerializedChoices = [[0, 0, 5], [0, 9, 1], [3, 0, 2], [0, 0, 3], [1, 2, 1], [1, 7, 1], [2, 1, 2], [2, 0, 1]];
  const fits = ['irq', 'irq', 'irq', 'idle', 'irq', 'irq', 'irq', 'idle', 'idle', 'idle', 'irq', 'irq', 'irq', 'order', 'order', 'latitude', 'latitude', 'latitude'];

  it('gives the same answers as the expanded log, to the end', () => {
    const [expanded, runLength] = ask(triples, fits);
    expect(runLength).toEqual(expanded);
    expect(runLength.at(-1)).toBe(true);
  });

  it('diverges at the same choice with the same message', () => {
    for (const bad of [[...fits.slice(0, 6), 'order'], [...fits, 'irq'], ['latitude']]) {
      const [expanded, runLength] = ask(triples, bad);
      expect(runLength).toEqual(expanded);
      expect(String(runLength.at(-3))).toMatch(/^ReplayDivergence: replay diverged at choice #\d+/);
    }
  });

  it('rejects a malformed entry', () => {
    expect(() => new RunLengthReplay([[0, 0, 0]])).toThrow(/bad choice entry/);
    expect(() => new RunLengthReplay([[9, 0, 1]])).toThrow(/bad choice entry/);
  });
});
