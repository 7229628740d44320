/** The report of an exploration: one JSON object, and the same as lines of text. */
import type { StateCounts } from '../state/statefulDfs.js';
import type { ScenarioRef } from '../shared/trace.js';
import { WINDOWS, type WindowName } from './coverage.js';
import { DISTINCT_RUNS_CAP, type DistinctViolation, type WarnedKind } from './campaign.js';
import { noBoundStatement, workloadScope, type Confidence } from './confidence.js';
import type { ExploreOutcome } from './explore.js';
import type { TraceSize } from './shrink.js';
import { firstSought } from './soughtViolation.js';
import type { CampaignSpec, ViolationSummary } from './spec.js';
import { dfsWorkloadLine, dfsWorkloadsClaim, dfsWorkloadsExhaustedWords, type DfsWorkloadOutcome } from './dfsReport.js';
import type { ZooBugOutcome } from './zooRun.js';
import { workloadCount, workloadSeeds } from './workloads.js';
import { usefulWorkers } from './usefulWorkers.js';
import { renderCommand, replayCommand } from '../shared/invocation.js';
import { FAIR_IRQ_POINTS } from '../vmm/cpu.js';
import { oneLine } from '../shared/oneLine.js';

/** A kind of violation as the report gives it: one numbering of executions throughout, from 1. */
export type ReportedViolationKind = Omit<DistinctViolation, 'firstIteration'> & { firstExecution: number };

/** A kind of checker warning as the report gives it, numbered as violations are. */
export type ReportedWarningKind = Omit<WarnedKind, 'firstIteration'> & { firstExecution: number };

export interface ExploreReport {
  scenario: string;
  scenarioRef: ScenarioRef;
  strategy: CampaignSpec['strategy'];
  seed: number;
  /** Client workloads the executions were spread over (workload 0 is the seed's own). */
  workloads: number;
  /** Their seeds, workload 0 first. */
  workloadSeeds: number[];
  iterations: number;
  executions: number;
  steps: number;
  workers: number;
  config: CampaignSpec['config'];
  params: CampaignSpec['params'];
  /** pct (alone or in the portfolio): the k its change points were drawn from. */
  pctK: number | null;
  elapsedMs: number;
  execsPerSec: number;
  found: boolean;
  /** The stop signal that cut the campaign short (the report covers the executions run), or null. */
  interrupted: string | null;
  /** The scenario's lifecycle steps at or past the step bound (`destroy VM 3 at step 20`): no execution ran them. */
  lifecycleNotReached: string[];
  /** Which violations count: any, or (--vmm-only) VMM invariant violations alone. */
  stopOn: CampaignSpec['stopOn'];
  violation: (ViolationSummary & { execution: number; strategy: string; workloadSeed: number }) | null;
  /** Each kind met, `firstExecution` counted from 1 as `violation.execution` is (the FOUND line's "execution N"). */
  distinctViolations: ReportedViolationKind[];
  /** The checker's warnings the executions met (legal, often a bug's sign; nothing stops on them), by kind in the order first met. */
  warnings: ReportedWarningKind[];
  /** `message`: the shrunk run's violation (or throw), which the trace replays to; the FOUND line's is the found execution's. */
  shrink: { before: TraceSize; after: TraceSize; candidates: number; accepted: number; minimal: boolean; message: string | null } | null;
  trace: string | null;
  replay: string | null;
  render: string | null;
  /** Why the violation has no trace: run again from its workload and answers, it did not happen (null: it did). */
  notReproduced: string | null;
  coverage: Record<WindowName, { executions: number; hits: number }>;
  /** dfs: whether the bounded space was searched completely (of every workload, with several). */
  exhausted: boolean | null;
  /** dfs: each workload's search (index, seed, budget, executions, exhausted, status, violations, states), workload 0 first. */
  byWorkload: DfsWorkloadOutcome[] | null;
  /** dfs: states met at step boundaries, met again, pruned (src/state/statefulDfs.ts). */
  states: StateCounts | null;
  confidence: Confidence | null;
  /** Distinct runs (trace hashes) among the executions, counted up to DISTINCT_RUNS_CAP. */
  distinctRuns: number;
  /** true when the count stopped at the cap (there may be more). */
  distinctRunsCapped: boolean;
  /** What a clean campaign claims, in words (a bound only where a proof covers it). */
  claim: string | null;
  /** Executions per strategy (the portfolio's members). */
  executionsByStrategy: Record<string, number>;
}

/** The printed commands (shared/invocation.ts: `npx vmmsim` only where npx finds this package). */
export { renderCommand, replayCommand };

export function exploreReport(scenarioName: string, outcome: ExploreOutcome, workers: number, tracePath: string | null): ExploreReport {
  const { spec, campaign, shrunk } = outcome;
  const first = campaign.first;
  return {
    scenario: scenarioName, scenarioRef: spec.scenarioRef, strategy: spec.strategy, seed: spec.seed,
    workloads: workloadCount(spec), workloadSeeds: workloadSeeds(spec), iterations: spec.iterations,
    executions: campaign.executions, steps: spec.steps, workers: usefulWorkers(spec, workers), config: spec.config, params: spec.params,
    pctK: spec.strategy === 'pct' || spec.strategy === 'portfolio' ? spec.pctK : null,
    elapsedMs: Math.round(outcome.elapsedMs), execsPerSec: Math.round(outcome.execsPerSec),
    found: first !== null, interrupted: null, lifecycleNotReached: [], stopOn: spec.stopOn,
    violation: first === null ? null : { ...first.violation, execution: first.iteration + 1, strategy: first.strategy, workloadSeed: first.workloadSeed },
    distinctViolations: campaign.distinct.map(({ firstIteration, ...kind }) => ({ ...kind, firstExecution: firstIteration + 1 })),
    warnings: campaign.warnings.map(({ firstIteration, ...kind }) => ({ ...kind, firstExecution: firstIteration + 1 })),
    shrink: shrunk === null ? null : {
      before: shrunk.before, after: shrunk.after, candidates: shrunk.candidates, accepted: shrunk.accepted, minimal: shrunk.minimal,
      // What the campaign looked for: with --vmm-only, its first VMM bug (a device bug may come first).
      message: shrunk.result.fault?.message ?? firstSought(shrunk.result.violations, spec.stopOn)?.message ?? null,
    },
    trace: tracePath, replay: tracePath === null ? null : replayCommand(tracePath), render: tracePath === null ? null : renderCommand(tracePath),
    notReproduced: outcome.notReproduced,
    distinctRuns: campaign.distinctRuns, distinctRunsCapped: campaign.distinctRuns >= DISTINCT_RUNS_CAP,
    coverage: campaign.coverage.toJSON(), exhausted: campaign.exhausted, byWorkload: campaign.dfsWorkloads ?? null, states: campaign.states, confidence: outcome.confidence,
    claim: first !== null ? null : cleanClaim(outcome),
    executionsByStrategy: campaign.byStrategy,
  };
}

const LATITUDE_CLAUSE = '; no claim for bugs that need the VMM to schedule a callback it could call at once (SPEC §3 latitude: --latitude adds that choice)';

/** The interrupts an execution of a strategy without a bound could raise (`--irq-budget`, read per strategy). */
function irqBudgetClause(strategy: string, irqBudget: number): string {
  const per = strategy === 'random' || strategy === 'guided' ? `at most ${irqBudget} IRQ(s) per execution`
    : strategy === 'portfolio' ? `at most ${irqBudget} IRQ(s) per execution (random, guided) or per IRQ source (pct, pos)`
      : `at most ${irqBudget} assertion(s) of each IRQ source per execution`;
  return `the executions raised ${per} (--irq-budget)${FAIRNESS}: no claim for bugs that need more`;
}

/** The IRQs no strategy chooses (vmm/cpu.ts FAIR_IRQ_POINTS): the bounds above are of the chosen ones. */
const FAIRNESS = `, besides those the hardware's fairness adds (a ring-0 stretch of ${FAIR_IRQ_POINTS.toLocaleString('en-US')} preemption points with none gets one from each source)`;

/** What a clean campaign claims: the bound or its absence, and always the workload it covers. */
function cleanClaim({ spec, campaign, confidence }: ExploreOutcome): string | null {
  const runs = campaign.distinctRuns;
  const repeated = runs < campaign.executions && runs < DISTINCT_RUNS_CAP
    ? `; only ${runs} distinct run(s) among the ${campaign.executions} executions (the others repeated one of them: no choice the strategy made changed the run)`
    : '';
  // --vmm-only: a device bug an execution met did not stop it and is not reported, so "no violation" would be false.
  const counted = spec.stopOn === 'vmm' ? '; only VMM invariant violations counted (--vmm-only): device bugs the executions met are not reported' : '';
  const scope = workloadScope(spec.seed, spec.steps, workloadCount(spec)) + repeated + counted;
  if (confidence !== null) return `${confidence.statement}; ${scope}`;
  // Their bounds too (an outside audit: a bug that needs ten interrupts of one source was "no
  // violation" under the portfolio, found at once with --irq-budget 16; one that needs the
  // latitude, found at once with --latitude).
  if (spec.strategy !== 'dfs') return `${noBoundStatement(spec.strategy, campaign.executions, spec.stopOn)}; ${irqBudgetClause(spec.strategy, spec.params.irqBudget)}${spec.config.latitude ? '' : LATITUDE_CLAUSE}; ${scope}`;
  // The bounds, in the claim itself: "exhausted" covered a bug that needs three interrupts in one
  // handler no more than one it never looked for (examples/deep/threeInterrupts.ts, exhausted at
  // --steps 6 in 308 executions, found by every other strategy).
  // The IRQs inside ring-0 code are some of the run's IRQs: never more than it has ("at most 0 IRQ(s), at most 2 of them").
  const { irqBudget, preemptionBound } = spec.params;
  const inRing0 = irqBudget === 0 ? '' : `, at most ${Math.min(preemptionBound, irqBudget)} of them inside ring-0 code`;
  // dfs raises each eligible source alone at a point: two asserting at one point are never tried.
  const together = irqBudget > 1 ? ', or two sources asserting at the same preemption point (dfs raises one per point)' : '';
  // Without --latitude every Call_XX_Event callback that could run at once did: the space has no
  // "schedule instead" answer (an outside audit's driver was "exhausted" clean at 8 steps and
  // found in 4 executions with --latitude).
  const latitude = spec.config.latitude ? '' : LATITUDE_CLAUSE;
  const bounds = `; the space holds runs of at most ${irqBudget} IRQ(s)${inRing0}${FAIRNESS}: no claim for bugs that need more${together}${latitude}${pruningClause(campaign.states)}`;
  if (workloadCount(spec) > 1 && campaign.dfsWorkloads !== undefined) {
    const claim = dfsWorkloadsClaim(campaign.dfsWorkloads);
    return claim === null ? null : `${claim}${bounds}; ${scope}`;
  }
  return campaign.exhausted === true ? `dfs: the bounded space is exhausted${bounds}; ${scope}` : null;
}

/**
 * Stateful dfs pruned executions at states it had explored: the claim rests on the state it
 * compares, which cannot see what a device keeps outside its `state()` object. An outside
 * audit's driver kept a value in a module variable (reset by `state()`, so every run replayed
 * exactly): "exhausted" and clean, while --stateless found its bug in 14 executions.
 */
function pruningClause(states: StateCounts | null): string {
  if (states === null || states.pruned === 0) return '';
  return `; ${states.pruned === 1 ? 'one execution was' : `${states.pruned.toLocaleString('en-US')} executions were`} pruned at a state met before, ` +
    'and a state is the machine\'s and each device\'s state() object: state a device keeps elsewhere (a module variable, a closure) is not compared (--stateless does not prune)';
}

const WINDOW_LABELS: Record<WindowName, string> = {
  cancelBeforeDispatch: 'cancel before dispatch',
  cancelAfterDispatch: 'cancel after dispatch (stale)',
  cancelRacingDispatch: 'cancel racing the dispatch',
  cancelInCallback: 'cancel from inside a callback',
  rescheduleInCallback: 're-schedule from inside the callback',
  nodeReuse: 'handle-node reuse',
};

const n = (value: number): string => value.toLocaleString('en-US');

export function formatExplore(r: ExploreReport): string[] {
  const lines: string[] = [];
  const how = strategyWords(r);
  const workloads = r.workloads === 1 ? '' : ` (${r.workloads} client workloads)`;
  lines.push(`vmmsim explore: scenario ${r.scenario}, strategy ${how}, seed ${r.seed}${workloads}, ${r.steps} steps per execution, up to ${n(r.iterations)} executions on ${r.workers} worker(s)`);
  const exhausted = r.byWorkload !== null && r.workloads > 1 ? `; ${dfsWorkloadsExhaustedWords(r.byWorkload)}`
    : r.exhausted === true ? '; the bounded space is exhausted' : r.exhausted === false ? '; the bounded space is not exhausted' : '';
  lines.push(`  ${n(r.executions)} executions in ${(r.elapsedMs / 1000).toFixed(2)} s (${n(r.execsPerSec)} executions/s)${exhausted}`);
  // Said on stdout, where the report is read: the stderr line alone left a partial report looking whole.
  if (r.interrupted !== null) lines.push(`  INTERRUPTED by ${r.interrupted} after ${n(r.executions)} of ${n(r.iterations)} executions: this report covers those`);
  if (r.byWorkload !== null && r.workloads > 1) lines.push(`  ${dfsWorkloadLine(r.byWorkload)}`);
  // Said beside the claims: "exhausted" covered a Destroy_VM driver whose destroy came after the last step.
  if (r.lifecycleNotReached.length > 0) lines.push(`  not reached: the scenario's ${r.lifecycleNotReached.join(', ')} (${r.steps} steps per execution): no execution ran ${r.lifecycleNotReached.length === 1 ? 'it' : 'them'}; more --steps would`);
  lines.push(`  distinct runs: ${r.distinctRunsCapped ? `at least ${n(r.distinctRuns)}` : n(r.distinctRuns)} (executions with different trace hashes)`);
  if (r.states !== null) lines.push(`  states: ${n(r.states.distinct)} distinct, ${n(r.states.revisited)} met again, ${n(r.states.pruned)} executions pruned at a state already explored`);
  if (r.states?.statelessFrom !== undefined) {
    const { execution, why } = r.states.statelessFrom;
    lines.push(`  states not compared from execution ${n(execution)} on: ${why}; every execution ran from step 0 (stateless dfs, still exhaustive)`);
  }
  if (r.violation !== null) {
    const v = r.violation;
    lines.push(`  FOUND ${v.severity === 'vmm' ? 'VMM BUG' : 'device bug'} ${v.kind}${v.device ? ` [${v.device}]` : ''} in execution ${n(v.execution)}${r.strategy === 'portfolio' ? ` (${v.strategy})` : ''}${r.workloads === 1 ? '' : ` on the workload of seed ${v.workloadSeed}`}: ${v.message}`);
    for (const d of r.distinctViolations.slice(1)) lines.push(`  also ${d.kind} (${d.severity}) in ${n(d.executions)} execution(s), first in execution ${n(d.firstExecution)}`);
  } else lines.push(r.stopOn === 'vmm' ? '  no VMM invariant violation found (--vmm-only: device bugs do not count)' : '  no violation found');
  lines.push(...warningLines(r.warnings));
  if (r.shrink !== null) {
    const { before: b, after: a } = r.shrink;
    lines.push(`  shrunk${r.shrink.minimal ? ' to 1-minimal' : ''} (${r.shrink.accepted} of ${r.shrink.candidates} candidates kept): steps ${b.steps} → ${a.steps}, ops ${b.ops} → ${a.ops}, choice points ${b.choices} → ${a.choices}, IRQs ${b.irqs} → ${a.irqs}, preemptions ${b.preemptions} → ${a.preemptions}, decisions ${b.decisions} → ${a.decisions}, VMs ${b.vms} → ${a.vms}`);
    // The same kind, but its handle or counts may differ from the found execution's (an outside
    // audit compared the FOUND line with the replay and saw another handle).
    const found = r.violation?.message;
    if (r.shrink.message !== null && found !== undefined && r.shrink.message !== found) lines.push(`  the shrunk run ends in: ${r.shrink.message}`);
  }
  if (r.notReproduced !== null) {
    lines.push(`  NOT REPRODUCED, so no trace: ${r.notReproduced}.`);
    lines.push('    The scenario is not a function of its run (device or scenario code that reads Math.random or the clock, or keeps state at module level across executions?)');
  }
  if (r.trace !== null) {
    lines.push(`  trace: ${r.trace}`);
    lines.push(`  replay it: ${r.replay}`);
    lines.push(`  see it:    ${r.render}`);
  }
  lines.push('  race-window coverage (executions that hit it, hits):');
  for (const name of WINDOWS) lines.push(`    ${WINDOW_LABELS[name].padEnd(38)} ${n(r.coverage[name].executions).padStart(8)} ${n(r.coverage[name].hits).padStart(9)}`);
  if (r.claim !== null) lines.push(`  confidence: ${r.claim}`);
  if (r.strategy === 'portfolio') lines.push(`  executions per strategy: ${Object.entries(r.executionsByStrategy).map(([s, count]) => `${s} ${n(count)}`).join(', ')}`);
  return lines;
}

/**
 * The checker's warnings (a run's `warning:` lines under `vmmsim run`), counted over the campaign:
 * an outside audit's leaked critical section was "no violation" after millions of steps while
 * each run's checker had warned. They are not violations, so explore stops on none and writes no
 * trace of one; the lines say which execution met each first.
 */
function warningLines(warnings: readonly ReportedWarningKind[]): string[] {
  if (warnings.length === 0) return [];
  return ['  warnings met (legal, but often a bug\'s sign; not violations, so no execution stopped on one and none has a trace):',
    ...warnings.map((w) => `    ${w.kind} in ${n(w.executions)} execution(s), first in execution ${n(w.firstExecution)}: ${oneLine(w.message)}`)];
}

function strategyWords(r: ExploreReport): string {
  const p = r.params;
  switch (r.strategy) {
    case 'pct': return `pct (depth ${p.depth}, k ${r.pctK}, ${p.irqBudget} IRQs per source)`;
    case 'pos': return `pos (${p.irqBudget} IRQs per source)`;
    case 'random': return `random (IRQ chance ${p.irqChance})`;
    case 'guided': return `coverage-guided (IRQ chance ${p.irqChance} past the mutated plan)`;
    case 'dfs': return `dfs (preemption bound ${p.preemptionBound}, IRQ bound ${p.irqBudget})`;
    case 'portfolio': return `portfolio (pct depth ${p.depth} k ${r.pctK}, pos, random ${p.irqChance}, coverage-guided; round-robin by execution)`;
  }
}

export function formatZoo(bugs: readonly (ZooBugOutcome & { tracePath: string | null })[]): string[] {
  const lines = ['vmmsim explore --zoo:'];
  for (const b of bugs) {
    const verdict = b.found && b.fixedTwinClean ? 'ok ' : 'BAD';
    lines.push(`  ${verdict} ${b.name.padEnd(26)} ${b.kind.padEnd(22)} found ${b.found ? 'yes' : 'NO '}  first bug at execution ${String(b.executionsToFirstBug ?? '-').padStart(4)}  shrunk to ${String(b.shrunkSteps ?? '-').padStart(3)} steps  fixed twin ${b.fixedTwinClean ? 'clean' : 'NOT CLEAN'}`);
    for (const [strategy, s] of Object.entries(b.strategies)) {
      lines.push(`        ${strategy.padEnd(9)} ${s.found ? `found at execution ${s.executionsToFirstBug}` : `not found in ${s.executions} (first violation: ${s.kindFound ?? 'none'})`}; twin ${s.fixedTwinClean ? 'clean' : 'NOT clean'} in ${s.twinExecutions}${s.twinExhausted ? ' (space exhausted)' : ''}`);
    }
    if (b.tracePath !== null) lines.push(`        replay: ${replayCommand(b.tracePath)}`);
  }
  return lines;
}
