/**
 * Replaying straight from the run-length-encoded choices as they stream from the trace answers
 * exactly as the expanded log does (ReplayChoices, strict), divergences included: so a trace too
 * long to expand still replays.
 */
import { describe, expect, it } from 'vitest';
import { ChoiceLog, ReplayChoices, type SerializedChoices } from '../../../src/actors/sim/choiceLog.js';
import { StreamChoices } from '../../../src/actors/sim/streamChoices.js';

const POINT = { eligibleSources: 0b1011 } as Parameters<ReplayChoices['irqArrivals']>[0];

type Source = Pick<ReplayChoices, 'irqArrivals' | 'nextGlobalEvent' | 'callNow' | 'clientStillRunning'>;

/** Asks a source the questions; its answers (or the error it threw), then how many it answered and how many were left. */
function answers(source: Source, questions: string[], tally: () => [number, number]): unknown[] {
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
  out.push(...tally());
  return out;
}

function ask(triples: SerializedChoices, questions: string[]): [unknown[], unknown[]] {
  const expanded = new ReplayChoices(ChoiceLog.deserialize(triples), true);
  const streamed = new StreamChoices(triples[Symbol.iterator]());
  return [
    answers(expanded, questions, () => [expanded.consumed, expanded.exhausted ? 0 : 1]),
    answers(streamed, questions, () => [streamed.index, streamed.unconsumed() === 0 ? 0 : 1]),
  ];
}

describe('replay from run-length-encoded choices as they stream', () => {
  const triples: SerializedChoices = [[0, 0, 5], [0, 9, 1], [3, 0, 2], [0, 0, 3], [1, 2, 1], [1, 7, 1], [2, 1, 2], [2, 0, 1]];
  const fits = ['irq', 'irq', 'irq', 'idle', 'irq', 'irq', 'irq', 'idle', 'idle', 'idle', 'irq', 'irq', 'irq', 'order', 'order', 'latitude', 'latitude', 'latitude'];

  it('gives the same answers as the expanded log, to the end', () => {
    const [expanded, streamed] = ask(triples, fits);
    expect(streamed).toEqual(expanded);
    expect(streamed.at(-1)).toBe(0);
  });

  it('diverges at the same choice with the same message', () => {
    for (const bad of [[...fits.slice(0, 6), 'order'], [...fits, 'irq'], ['latitude']]) {
      const [expanded, streamed] = ask(triples, bad);
      expect(streamed.slice(0, -2)).toEqual(expanded.slice(0, -2));
      expect(String(streamed.at(-3))).toMatch(/^ReplayDivergence: replay diverged at choice #\d+/);
    }
  });
});
