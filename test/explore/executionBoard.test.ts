/**
 * The execution board (src/explore/executionBoard.ts) is what is left of an execution once the
 * watchdog has ended the thread stuck in its device code: "the hung execution is re-run into a
 * trace" holds only if the board says, at any instant inside the execution, which execution it
 * is and every answer it got so far, and if those answers re-run make the same execution.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZOO } from '../../examples/zoo/index.js';
import { hostileScenario } from '../../examples/hostile/common.js';
import { ChoiceLog, type SerializedChoices } from '../../src/actors/sim/choiceLog.js';
import { BoardChoiceLog, boardChoices, BOARD_RUNS, executionBoard, executionBoardBuffer, readBoard, type HungExecution } from '../../src/explore/executionBoard.js';
import { ExecutionChoiceLog } from '../../src/explore/executionChoices.js';
import { runExecution, seededStrategy, strategySeed } from '../../src/explore/execution.js';
import { campaignSpec } from '../../src/explore/explore.js';
import { rerunHungExecution } from '../../src/explore/hungRerun.js';
import { iterate } from '../../src/explore/iterations.js';
import { MachineKit } from '../../src/explore/machineKit.js';
import { PORTFOLIO } from '../../src/explore/spec.js';
import { StatefulDfs } from '../../src/state/statefulDfs.js';

const board = executionBoardBuffer();
executionBoard.attach(board);

/** Every answer of a log, one per entry: [kind, value] (runs may be cut differently, answers may not). */
function answers(choices: SerializedChoices): [number, number][] {
  return choices.flatMap(([kind, value, repeat]) => Array.from({ length: repeat }, () => [kind, value] as [number, number]));
}

describe('the execution board', () => {
  it('holds the answers of the execution that runs, whatever ran before on the thread; null once they outgrow it', () => {
    const execution = fc.oneof(
      // Mostly repeats (an IRQ point that raises nothing), as executions are.
      fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), { maxLength: 600 }),
      // One that alternates past the board's runs.
      fc.integer({ min: BOARD_RUNS - 2, max: BOARD_RUNS + 50 }).map((n) => Array.from({ length: n }, (_, i) => [0, i % 2] as [number, number])),
    );
    fc.assert(
      fc.property(fc.array(fc.tuple(execution, fc.nat(10_000), fc.constantFrom(...PORTFOLIO)), { minLength: 1, maxLength: 5 }), (executions) => {
        const log = new ExecutionChoiceLog();
        for (const [given, iteration, member] of executions) {
          log.reset();
          expect(log.onBoard).toBe(true);
          executionBoard.begin(iteration, member, iteration + 7, iteration * 3);
          const reference = new ChoiceLog();
          for (const [code, value] of given) {
            log.addCode(code, value);
            reference.addCode(code, value);
          }
          const seen = readBoard(board);
          const fits = reference.serialize().length < BOARD_RUNS;
          expect(seen).toEqual({ iteration, member, workloadSeed: iteration + 7, strategySeed: iteration * 3, choices: fits ? reference.serialize() : null } satisfies HungExecution);
          // An execution that outgrew the board still has every answer in its own log.
          expect(log.serialize()).toEqual(reference.serialize());
          executionBoard.end();
          expect(readBoard(board)).toBeNull();
        }
      }),
      { seed: 1202, numRuns: 60 },
    );
  });

  it("mirrors a dfs search's log as it grows and is cut back to a boundary, beside an execution log on the same board", () => {
    type Op = { add: [number, number][] } | { cutTo: number } | { other: [number, number][] };
    // Runs of several equal answers, which a cut then splits.
    const answers = fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 1, max: 6 })), { maxLength: 20 })
      .map((runs) => runs.flatMap(([code, value, repeat]) => Array.from({ length: repeat }, () => [code, value] as [number, number])));
    const op: fc.Arbitrary<Op> = fc.oneof(
      { weight: 4, arbitrary: answers.map((add) => ({ add })) },
      // Where the search resumes: a fraction of the way along its log.
      { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }).map((cutTo) => ({ cutTo })) },
      // The board's runs near full: a search past them is not on it until cut back.
      { weight: 1, arbitrary: fc.constant({ add: Array.from({ length: 2 * BOARD_RUNS }, (_, i) => [1, i % 2] as [number, number]) }) },
      // Another log (the kit's, for an estimate) writes the board meanwhile.
      { weight: 1, arbitrary: answers.map((other) => ({ other })) },
    );
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 12 }), (ops) => {
        const search = new BoardChoiceLog();
        const kit = new ExecutionChoiceLog();
        search.truncate(0);
        const reference = new ChoiceLog();
        for (const o of ops) {
          if ('add' in o) {
            for (const [code, value] of o.add) {
              search.addCode(code, value);
              reference.addCode(code, value);
            }
          } else if ('cutTo' in o) {
            const length = Math.floor(o.cutTo * reference.length);
            search.truncate(length);
            reference.kinds.length = length;
            reference.values.length = length;
          } else {
            kit.reset();
            for (const [code, value] of o.other) kit.addCode(code, value);
            expect(boardChoices(board)).toEqual(kit.serialize());
            // The search's next write claims the board back, its answers so far written again.
            search.truncate(search.length);
          }
          const runs = reference.serialize();
          expect(search.serialize()).toEqual(runs);
          expect(boardChoices(board)).toEqual(runs.length < BOARD_RUNS ? runs : null);
        }
      }),
      { seed: 1203, numRuns: 200 },
    );
  });

  it('a search cut inside a run, grown by another, then cut inside that one: the board holds the first run as cut', () => {
    const search = new BoardChoiceLog();
    search.truncate(0);
    for (let i = 0; i < 5; i++) search.addCode(0, 0);
    search.truncate(3);
    search.addCode(1, 1);
    search.addCode(1, 1);
    search.truncate(4);
    expect(boardChoices(board)).toEqual([[0, 0, 3], [1, 1, 1]]);
  });

  it('inside device code, names the execution and every answer it got so far, and nothing once it ended', () => {
    const seen: HungExecution[] = [];
    const scenario = hostileScenario('board-reader', () => ({}), {
      poke(r) {
        r.execNested();
        seen.push(readBoard(board)!);
      },
    });
    const spec = campaignSpec({ scenario, scenarioRef: { kind: 'builtin', name: 'default', vms: 2, steps: 30 }, strategy: 'portfolio', seed: 5, iterations: 40 });
    const kit = new MachineKit();
    let checked = 0;
    for (let iteration = 0; iteration < 40; iteration++) {
      const member = (['pct', 'pos', 'random'] as const)[iteration % 3]!;
      seen.length = 0;
      let log: ChoiceLog | null = null;
      const seed = strategySeed(spec.seed, iteration);
      const summary = runExecution(scenario, spec, seededStrategy(scenario, spec, iteration, member, seed), iteration, seed, member, { onLog: (l) => (log = l) }, kit);
      expect(readBoard(board)).toBeNull();
      const all = answers(log!.serialize());
      for (const snapshot of seen) {
        expect({ ...snapshot, choices: null }).toEqual({ iteration, member, workloadSeed: summary.workloadSeed, strategySeed: seed, choices: null });
        const so = answers(snapshot.choices!);
        expect(all.slice(0, so.length)).toEqual(so);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it('re-running an execution from its answers makes the same execution: its trace hash and steps, on every member, the coverage-guided included', async () => {
    let rerun = 0;
    for (const entry of ZOO.slice(0, 6)) {
      const scenario = entry.scenario(false);
      const scenarioRef = { kind: 'zoo' as const, name: entry.name, fixed: false };
      const spec = campaignSpec({ scenario, scenarioRef, strategy: 'portfolio', seed: 9, iterations: 16, keepGoing: true });
      const executions = [];
      // Each execution's answers are on the board until the next one begins: read at each yield.
      for (const summary of iterate(scenario, spec, 0, 16)) executions.push({ summary, choices: boardChoices(board)! });
      for (const { summary, choices } of executions) {
        const end = await rerunHungExecution({
          scenarioRef, workloadSeed: summary.workloadSeed, steps: spec.steps, config: spec.config, stopOn: spec.stopOn, choices, strategy: summary.strategy, command: 'test',
        }, () => undefined, () => false);
        expect({ entry: entry.name, iteration: summary.iteration, hash: end.traceHash, steps: end.steps })
          .toEqual({ entry: entry.name, iteration: summary.iteration, hash: summary.traceHash, steps: summary.steps });
        rerun++;
      }
    }
    expect(rerun).toBe(6 * 16);
  });

  it("re-running a dfs execution from its board makes the same execution, one resumed from a snapshot included", async () => {
    let resumed = 0;
    for (const entry of ZOO.slice(0, 4)) {
      const scenario = entry.scenario(false);
      const scenarioRef = { kind: 'zoo' as const, name: entry.name, fixed: false };
      // No pruning, so every execution runs to its end, as its re-run does; forking restores snapshots.
      const spec = { ...campaignSpec({ scenario, scenarioRef, strategy: 'dfs', seed: 4, iterations: 12, keepGoing: true }) };
      const search = new StatefulDfs(scenario, spec, { prune: false, fork: true });
      for (let i = 0; i < 12; i++) {
        const restoresBefore = search.work.restores;
        const summary = search.execute(i);
        if (search.work.restores > restoresBefore) resumed++;
        const end = await rerunHungExecution({
          scenarioRef, workloadSeed: spec.seed, steps: spec.steps, config: spec.config, stopOn: spec.stopOn, choices: boardChoices(board)!, strategy: 'dfs', command: 'test',
        }, () => undefined, () => false);
        expect({ entry: entry.name, i, hash: end.traceHash, steps: end.steps }).toEqual({ entry: entry.name, i, hash: summary.traceHash, steps: summary.steps });
        if (!search.tree.advance()) break;
      }
    }
    expect(resumed).toBeGreaterThan(5);
  });
});
