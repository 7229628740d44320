/**
 * The recorded choice log is a faithful record (choices.ts: "the trace is exactly what the core
 * saw and the simulated runtime can replay it"): whatever a source answers, to whatever sequence
 * of questions, a replay of its log asked the same questions gives the same answers, from the
 * expanded log (ReplayChoices, strict) and from the stream of runs (StreamChoices), and leaves
 * no choice unused. The threaded runtime's source answers by real timing, so here the answers
 * are arbitrary.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceLog, ChoiceRuns, RecordingChoices, ReplayChoices } from '../../../src/actors/sim/choiceLog.js';
import { StreamChoices } from '../../../src/actors/sim/streamChoices.js';
import type { ChoiceSource, IrqPoint } from '../../../src/vmm/choices.js';

type Question = { q: 'irq'; eligible: number; answer: number } | { q: 'order'; pending: number; answer: number } | { q: 'latitude'; answer: boolean } | { q: 'idle'; answer: boolean };

const questionArb: fc.Arbitrary<Question> = fc.oneof(
  fc.record({ q: fc.constant('irq' as const), eligible: fc.integer({ min: 0, max: 7 }), answer: fc.integer({ min: 0, max: 7 }) }),
  // A source picks one of the pending events.
  fc.record({ q: fc.constant('order' as const), pending: fc.integer({ min: 1, max: 4 }), answer: fc.integer({ min: 0, max: 3 }) }).map((o) => ({ ...o, answer: o.answer % o.pending })),
  fc.record({ q: fc.constant('latitude' as const), answer: fc.boolean() }),
  // Idle questions come often and in runs: most steps ask no other choice on a busy IRQ line.
  fc.record({ q: fc.constant('idle' as const), answer: fc.boolean() }),
  fc.record({ q: fc.constant('idle' as const), answer: fc.boolean() }),
);

/** Where the questions are: a source that answers as scripted reads the one being asked. */
interface Asking { current: Question | null }

/** A source that answers the question being asked as scripted (what real timing happened to give). */
function scripted(asking: Asking): ChoiceSource {
  const answer = (): number | boolean => asking.current!.answer;
  return {
    irqArrivals: () => answer() as number,
    nextGlobalEvent: () => answer() as number,
    callNow: () => answer() as boolean,
    clientStillRunning: () => answer() as boolean,
  };
}

function ask(source: ChoiceSource, questions: readonly Question[], asking: Asking = { current: null }): unknown[] {
  const point: IrqPoint = { ticks: 0, inRing0: false, eligibleSources: 0 };
  return questions.map((question) => {
    asking.current = question;
    if (question.q === 'irq') {
      point.eligibleSources = question.eligible;
      return source.irqArrivals(point) & question.eligible;
    }
    if (question.q === 'order') return source.nextGlobalEvent(question.pending);
    if (question.q === 'latitude') return source.callNow();
    return source.clientStillRunning?.(1);
  });
}

describe('a recorded choice log replays to the answers the run got', () => {
  it('for any questions and answers, from the expanded log and from the stream', () => {
    fc.assert(fc.property(fc.array(questionArb, { maxLength: 200 }), (questions) => {
      const asking: Asking = { current: null };
      const log = new RecordingChoices(scripted(asking));
      const runs = new RecordingChoices(scripted(asking), new ChoiceRuns(4));
      const recorded = ask(log, questions, asking);
      expect(ask(runs, questions, asking)).toEqual(recorded);

      const expanded = new ReplayChoices(ChoiceLog.deserialize(log.log.serialize()), true);
      expect(ask(expanded, questions)).toEqual(recorded);
      expect(expanded.exhausted).toBe(true);

      const flat = Array.from(runs.log.drainRuns());
      const triples: [number, number, number][] = [];
      for (let i = 0; i < flat.length; i += 3) triples.push([flat[i]!, flat[i + 1]!, flat[i + 2]!]);
      const streamed = new StreamChoices(triples[Symbol.iterator]());
      expect(ask(streamed, questions)).toEqual(recorded);
      expect(streamed.unconsumed()).toBe(0);
    }), { seed: 1202, numRuns: 400 });
  });
});
