/**
 * `vmmsim shrink` on the watched worker (shrink.ts holds its options): the trace read, shrunk,
 * written, and the report.
 */
import { performance } from 'node:perf_hooks';
import { deserializeWorkload } from '../../actors/explicitOps.js';
import { ChoiceLog } from '../../actors/sim/choiceLog.js';
import { shrink, ShrinkError, type TraceSize } from '../../explore/shrink.js';
import { loadScenario } from '../../scenario/load.js';
import type { TraceFile } from '../../shared/trace.js';
import type { ClientOp } from '../../vmm/clientOps.js';
import { isThrownKind } from '../../explore/thrown.js';
import { needsFreshReplay, replayInFreshThread } from '../../explore/freshReplay.js';
import { EXIT, UsageError } from '../errors.js';
import { humanOut, printJson, writeTrace } from '../io.js';
import { readTrace } from './replay.js';
import { checkDistinctPaths, checkOutputFile, moduleFileOf } from '../outputPaths.js';
import { scenarioOfTrace } from '../traceScenario.js';
import { interrupted } from '../interrupt.js';
import { shrunkPath, type ShrinkFlags } from './shrink.js';
import { rmSync } from 'node:fs';
import { shellLine } from '../../shared/shellWord.js';
import { replayCommand } from '../../shared/invocation.js';

export async function shrinkCommand(path: string, flags: ShrinkFlags, argv: string[]): Promise<number> {
  const out = shrunkPath(path, flags);
  checkOutputFile('-o', out);
  checkDistinctPaths([['the trace', path], ['-o', out]]);
  const trace = readTrace(path);
  // A run that ended on user code that threw is shrunk to the same throw (explore/thrown.ts).
  const thrown = trace.expect.fault !== null && trace.expect.fault !== undefined && isThrownKind(trace.expect.fault.kind) ? trace.expect.fault : null;
  const violation = thrown ?? trace.expect.firstViolation;
  if (violation === null) throw new UsageError(`${path} ends in no violation: nothing to shrink`);
  const scenarioRef = scenarioOfTrace(path, trace.scenario, trace.cwd);
  checkDistinctPaths([['the scenario module', moduleFileOf(scenarioRef)], ['the trace', path], ['-o', out]]);
  const scenario = await loadScenario(scenarioRef);
  const { choices, ops } = decode(path, trace);
  const started = performance.now();
  let shrunk;
  try {
    shrunk = await shrink({
      scenario, scenarioRef, seed: trace.seed, steps: trace.steps, config: trace.config, stopOn: 'any',
      choices, ...(ops !== undefined ? { ops } : {}), kind: violation.kind, ...(thrown !== null ? { message: thrown.message } : {}), strategyName: `shrink of ${trace.strategy}`,
      command: `vmmsim ${shellLine(argv)}`, maxCandidates: flags.maxCandidates, cancelled: interrupted,
      // Each run kept is written as it is kept: a later candidate that never returns ends this
      // thread, and the main thread then names what is there (shrink.ts).
      onKept: (kept) => writeTrace(out, kept),
    });
  } catch (error) {
    if (error instanceof ShrinkError) throw new UsageError(`${path}: ${error.message}`);
    throw error;
  }
  const elapsedMs = performance.now() - started;
  if (needsFreshReplay(shrunk.trace)) {
    // Every candidate ran on this thread's one evaluation of the module (see explore/freshReplay.ts).
    const verdict = await replayInFreshThread(shrunk.trace, scenario);
    if (verdict.reproduced === false) {
      rmSync(out, { force: true });
      throw new UsageError(`${path}: the shrunk trace, replayed in a thread of its own on a fresh evaluation of the scenario module (as \`vmmsim replay\` runs it), ${verdict.why}; ` +
        'the scenario is not a function of its run (code that reads Math.random or the clock, or keeps state at module level?), so no trace is written');
    }
  }
  writeTrace(out, shrunk.trace);
  const given = inputSize(trace, choices, ops, scenario.vms);
  const report = {
    trace: path, runtime: trace.runtime, out, kind: violation.kind,
    before: { ...given, kind: violation.kind }, atViolation: { ...shrunk.before, kind: violation.kind }, after: { ...shrunk.after, kind: shrunk.result.fault?.kind ?? shrunk.result.firstViolation?.kind ?? null },
    minimal: shrunk.minimal, interrupted: shrunk.interrupted, candidates: shrunk.candidates, accepted: shrunk.accepted, elapsedMs: Math.round(elapsedMs),
    replay: replayCommand(out),
  };
  if (flags.json) printJson(report);
  const say = humanOut(flags.json ?? false);
  say(`vmmsim shrink: ${path} (${trace.runtime}), violation ${violation.kind}`);
  say(`  as given:            ${given.steps} steps, ${given.choices} choice points, ${given.irqs} IRQs, ${given.decisions} decisions, ${given.vms} VMs`);
  say(`  up to the violation: ${describe(shrunk.before)}`);
  say(`  shrunk:              ${describe(shrunk.after)}`);
  const stopped = shrunk.interrupted ? 'INTERRUPTED' : '--max-candidates';
  say(`  ${shrunk.minimal ? '1-minimal: no single op (with the IRQs before it or alone), IRQ (with or without its handler\'s questions; boot and shutdown included), decision or VM can go' : `stopped after ${shrunk.candidates} candidates (${stopped}): not proven 1-minimal`}; ${shrunk.accepted} of ${shrunk.candidates} candidates kept in ${(elapsedMs / 1000).toFixed(2)} s`);
  say(`  trace: ${out}`);
  say(`  replay it: ${report.replay}`);
  return shrunk.interrupted ? EXIT.interrupted : EXIT.ok;
}

function describe(size: TraceSize): string {
  return `${size.steps} steps, ${size.ops} ops, ${size.choices} choice points, ${size.irqs} IRQs (${size.preemptions} in ring 0), ${size.decisions} decisions, ${size.vms} VMs`;
}

/** The trace as given (a threaded one runs on long past its first violation). */
function inputSize(trace: TraceFile, choices: ChoiceLog, ops: Map<number, ClientOp[]> | undefined, vms: number) {
  let irqs = 0;
  let decisions = 0;
  for (let i = 0; i < choices.length; i++) {
    const kind = choices.kinds[i]!;
    const value = choices.values[i]!;
    if (kind === 0) for (let v = value >>> 0; v !== 0; v &= v - 1) irqs++;
    else if ((kind === 1 && value !== 0) || (kind === 2 && value === 0)) decisions++;
  }
  const opCount = ops === undefined ? null : [...ops.values()].reduce((sum, list) => sum + list.length, 0);
  return { steps: trace.steps, ops: opCount, choices: choices.length, irqs, decisions, vms };
}

function decode(path: string, trace: TraceFile): { choices: ChoiceLog; ops: Map<number, ClientOp[]> | undefined } {
  try {
    return { choices: ChoiceLog.deserialize(trace.choices), ops: trace.workload === undefined ? undefined : deserializeWorkload(trace.workload) };
  } catch (error) {
    throw new UsageError(`${path} is not a vmmsim trace: ${(error as Error).message}`);
  }
}
