/**
 * Iterations [from, to) of a campaign, as plain data in and out: this is the unit every runner
 * cuts a campaign into (this thread, a piscina worker, a distributed queue job), and folding the
 * summaries in iteration order gives the same result however the range was cut.
 *
 * Iteration i runs under its member strategy: the campaign's own, or PORTFOLIO[i % 4] for the
 * portfolio. pct, pos and random executions depend on (spec, i) alone. Coverage-guided ones
 * depend on the corpus built by the guided executions before them, so their stream is cut into
 * epochs of GUIDED_EPOCH executions, each starting from an empty corpus: guided execution g
 * depends on (spec, the guided executions of its epoch before g) only. A range that starts
 * inside an epoch first re-runs that epoch's earlier guided executions (silently) to rebuild
 * the corpus; runners that cut on epoch boundaries (see ALIGNMENT) never pay for that.
 *
 * Iteration i runs client workload workloadIndex(spec, i) (workloads.ts), a function of (spec, i)
 * alone too; a guided execution mutates plans the corpus took from any workload of its epoch.
 */
import { irqSources } from '../actors/sim/irqSources.js';
import { GuidedChoices } from '../actors/sim/strategies/guided.js';
import type { ChoiceLog } from '../actors/sim/choiceLog.js';
import type { Scenario } from '../scenario/scenario.js';
import { Rng } from '../shared/rng.js';
import { Corpus } from './corpus.js';
import { runExecution, strategySeed } from './execution.js';
import { FeatureTracker } from './features.js';
import { THREAD_KIT, type MachineKit } from './machineKit.js';
import { StrategyPool } from './strategyPool.js';
import { PORTFOLIO, type CampaignSpec, type ExecutionSummary, type MemberName } from './spec.js';
import { workloadIndex, workloadSeeds } from './workloads.js';

/** Guided executions per corpus epoch. */
export const GUIDED_EPOCH = 64;

/** Iteration counts that are whole epochs for every strategy: the portfolio's guided share is one in four. */
export const ALIGNMENT = GUIDED_EPOCH * PORTFOLIO.length;

export function memberOf(spec: CampaignSpec, iteration: number): MemberName {
  if (spec.strategy === 'portfolio') return PORTFOLIO[iteration % PORTFOLIO.length]!;
  if (spec.strategy === 'dfs') throw new Error('dfs is not an iteration-indexed strategy');
  return spec.strategy;
}

/** The coverage-guided executions of one campaign, rebuilt epoch by epoch on demand. */
class GuidedStream {
  private corpus = new Corpus();
  private epoch = -1;
  private next = 0;
  private readonly sources;
  /** Guided execution g is iteration g * stride + offset. */
  private readonly stride: number;
  private readonly offset: number;

  constructor(private readonly scenario: Scenario, private readonly spec: CampaignSpec, private readonly kit: MachineKit) {
    this.sources = irqSources(scenario.devices);
    this.stride = spec.strategy === 'portfolio' ? PORTFOLIO.length : 1;
    this.offset = spec.strategy === 'portfolio' ? PORTFOLIO.indexOf('guided') : 0;
  }

  run(iteration: number): ExecutionSummary {
    const g = (iteration - this.offset) / this.stride;
    const epoch = Math.floor(g / GUIDED_EPOCH);
    if (epoch !== this.epoch || this.next > g) {
      this.corpus = new Corpus();
      this.epoch = epoch;
      this.next = epoch * GUIDED_EPOCH;
    }
    while (this.next < g) this.execute(this.next++);
    this.next = g + 1;
    return this.execute(g);
  }

  private execute(g: number): ExecutionSummary {
    const iteration = g * this.stride + this.offset;
    const seed = strategySeed(this.spec.seed, iteration);
    const rng = new Rng(seed);
    const plan = this.corpus.candidate(rng, this.sources.length);
    const { irqChance, irqBudget } = this.spec.params;
    const choices = new GuidedChoices(rng, this.sources, plan, { irqChance, irqBudget });
    const features = new FeatureTracker();
    let log: ChoiceLog | null = null;
    const summary = runExecution(this.scenario, this.spec, choices, iteration, seed, 'guided', {
      onRecord: features.onRecord, onLog: (l) => (log = l),
    }, this.kit);
    features.addWindows(summary.windows);
    if (log !== null) this.corpus.offer(log, features.features);
    return summary;
  }
}

/** Iterations [from, to) one by one, in order (a caller that stops early just stops pulling). */
export function* iterate(scenario: Scenario, spec: CampaignSpec, from: number, to: number): Generator<ExecutionSummary> {
  let guided: GuidedStream | null = null;
  const kit = THREAD_KIT;
  // The range's pct, pos and random strategies, restarted for each execution.
  const strategies = new StrategyPool();
  const workloads = workloadSeeds(spec);
  for (const workload of workloads) kit.prepare(scenario, workload);
  for (let i = from; i < to; i++) {
    const member = memberOf(spec, i);
    if (member === 'guided') {
      yield (guided ??= new GuidedStream(scenario, spec, kit)).run(i);
      continue;
    }
    const seed = strategySeed(spec.seed, i);
    const workload = workloads[workloadIndex(spec, i)]!;
    yield runExecution(scenario, spec, strategies.strategy(scenario, spec, i, member, seed), i, seed, member, {}, kit, workload);
  }
}

/** Runs iterations [from, to) in order; stops after the first violation unless the spec keeps going. */
export function runIterations(scenario: Scenario, spec: CampaignSpec, from: number, to: number): ExecutionSummary[] {
  const out: ExecutionSummary[] = [];
  for (const summary of iterate(scenario, spec, from, to)) {
    out.push(summary);
    if (summary.violation !== null && !spec.keepGoing) break;
  }
  return out;
}
