/**
 * An execution's choices recorded into the kit's kept run buffer must serialize to the triples a
 * ChoiceLog makes of the same answers (they go into trace files: `[kind, value, repeat]`), and
 * give the guided strategy a ChoiceLog equal to the one it was given before: for any answers,
 * after any earlier execution on the same buffer, one long enough to grow it included.
 * (Within a run, answers equal by === are one answer: the ChoiceLog it gives holds the run's
 * first value for each, so a -0 after a 0 reads back as 0, as it does from a trace file.)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChoiceLog, flattenRuns } from '../../src/actors/sim/choiceLog.js';
import { ExecutionChoiceLog } from '../../src/explore/executionChoices.js';

/** Answers as the recorder writes them: kind codes 0-3, values that repeat often (most IRQ points raise nothing). */
const arbitraryAnswers = fc.array(
  fc.tuple(fc.integer({ min: 0, max: 3 }), fc.oneof(fc.constantFrom(0, 1, 2, -0, 2 ** 31, -(2 ** 31), 0xffffffff), fc.integer({ min: 0, max: 8 }))),
  { maxLength: 2000 },
);

describe('ExecutionChoiceLog', () => {
  it('serializes, drains and converts as a ChoiceLog of the same answers', () => {
    fc.assert(
      fc.property(fc.array(arbitraryAnswers, { minLength: 1, maxLength: 4 }), (executions) => {
        const kept = new ExecutionChoiceLog();
        for (const answers of executions) {
          kept.reset();
          const reference = new ChoiceLog();
          for (const [code, value] of answers) {
            kept.addCode(code, value);
            reference.addCode(code, value);
          }
          const triples = reference.serialize();
          expect(kept.serialize()).toEqual(triples);
          const copy = kept.toChoiceLog();
          expect(copy.kinds).toEqual(reference.kinds);
          // A run holds its first answer's value: -0 after 0 (one answer to ===, and to JSON) reads back as 0.
          expect(copy.values).toHaveLength(reference.values.length);
          expect(copy.values.every((v, i) => v === reference.values[i])).toBe(true);
          expect(kept.drainRuns()).toEqual(flattenRuns(triples));
          expect(kept.serialize()).toEqual([]);
        }
      }),
      { seed: 3, numRuns: 150 },
    );
  });
});
