/**
 * One exploration, start to end: the campaign (here or on a pool), then, if it found a
 * violation, the shrunk trace of the first one; if PCT found nothing, the confidence bound.
 */
import { performance } from 'node:perf_hooks';
import { irqSources } from '../actors/sim/irqSources.js';
import { ChoiceLog } from '../actors/sim/choiceLog.js';
import type { Scenario } from '../scenario/scenario.js';
import type { ScenarioRef, TraceFile } from '../shared/trace.js';
import { runCampaignHere, type CampaignHooks, type CampaignResult } from './campaign.js';
import { pctConfidence, type Confidence } from './confidence.js';
import { estimateChoicePoints } from './execution.js';
import { runDfsOnPool } from './dfsPool.js';
import { runCampaignOnPool } from './pool.js';
import { needsFreshReplay, replayInFreshThread } from './freshReplay.js';
import { shrink, ShrinkError, type ShrinkResult } from './shrink.js';
import { defaultWorkloads, workloadCount, workloadSeeds } from './workloads.js';
import { usefulWorkers } from './usefulWorkers.js';
import { DEFAULT_PARAMS, type CampaignSpec, type StopClass, type StrategyName, type StrategyParams } from './spec.js';
import { executionShape, type ShapeRequest } from './executionShape.js';

export interface SpecRequest extends ShapeRequest {
  scenarioRef: ScenarioRef;
  strategy: StrategyName;
  seed: number;
  iterations: number;
  params?: Partial<StrategyParams>;
  stopOn?: StopClass;
  keepGoing?: boolean;
  /** Client workloads to spread the executions over (default: defaultWorkloads(strategy)). */
  workloads?: number;
  /**
   * Polled between PCT's estimate runs (one per workload): true (Ctrl-C) leaves the rest out, as
   * the campaign that follows runs nothing. A slow driver's 64 estimate runs held Ctrl-C ~30 s.
   */
  cancelled?: () => boolean;
}

export { DEFAULT_EXPLORE_STEPS, executionShape } from './executionShape.js';

/** A campaign's spec: the scenario's configuration under the flags, strategy defaults filled in, PCT's k estimated. */
export function campaignSpec(req: SpecRequest): CampaignSpec {
  const { scenario } = req;
  const { config, steps } = executionShape(req);
  const params = { ...DEFAULT_PARAMS[req.strategy], ...req.params };
  const seed = req.seed >>> 0;
  const workloads = req.workloads ?? defaultWorkloads(req.strategy);
  // PCT's k: the most any workload's quiet schedule asks (a larger k only weakens the bound).
  const pctK = req.strategy === 'pct' || req.strategy === 'portfolio'
    ? Math.max(1, ...workloadSeeds({ seed, workloads }).map((w) => (req.cancelled?.() === true ? 0 : estimateChoicePoints(scenario, { seed: w, steps, config }))))
    : 0;
  return {
    scenarioRef: req.scenarioRef, strategy: req.strategy, seed, iterations: req.iterations, steps, config, params,
    stopOn: req.stopOn ?? 'any', keepGoing: req.keepGoing ?? false, pctK,
    ...(workloads !== 1 ? { workloads } : {}),
  };
}

export interface ExploreOutcome {
  spec: CampaignSpec;
  campaign: CampaignResult;
  elapsedMs: number;
  execsPerSec: number;
  /** The first violation's trace, shrunk (or as found, with shrinking off). */
  trace: TraceFile | null;
  shrunk: ShrinkResult | null;
  /** PCT with nothing found: the bound on missing a bug of the campaign's depth (only PCT has one). */
  confidence: Confidence | null;
  /** Why the first violation has no trace, as a clause: where it was run again and how that ended (null: it has one). */
  notReproduced: string | null;
}

export interface ExploreOptions {
  workers?: number;
  shrink?: boolean;
  hooks?: CampaignHooks;
  command?: string;
  /** Runs the campaign elsewhere (`--queue`: workers through Redis) instead of here or on a local pool. */
  runCampaign?: (spec: CampaignSpec, hooks?: CampaignHooks) => Promise<CampaignResult>;
  /**
   * Given the finding's trace as found (what --no-shrink writes) before shrinking starts: a
   * candidate run may never return (a driver loop no removal of a service call ends), and the
   * watchdog that ends it ends this thread with it; what was written here is then the finding's trace.
   */
  beforeShrink?: (asFound: TraceFile) => void;
}

export async function explore(scenario: Scenario, spec: CampaignSpec, options: ExploreOptions = {}): Promise<ExploreOutcome> {
  const started = performance.now();
  const workers = usefulWorkers(spec, options.workers ?? 1);
  const campaign = options.runCampaign !== undefined ? await options.runCampaign(spec, options.hooks)
    : workers > 1 && spec.strategy !== 'dfs' ? await runCampaignOnPool(spec, workers, options.hooks)
      // dfs: each workload's search runs on one thread; several run in parallel.
      : workers > 1 && workloadCount(spec) > 1 ? await runDfsOnPool(spec, workers, options.hooks)
        : runCampaignHere(scenario, spec, options.hooks);
  const elapsedMs = performance.now() - started;
  const first = campaign.first;
  let shrunk: ShrinkResult | null = null;
  let trace: TraceFile | null = null;
  let notReproduced: string | null = null;
  if (first !== null) {
    try {
      const input = {
        scenario, scenarioRef: spec.scenarioRef, // A checkpoint from before workloads has no workloadSeed: it ran the master seed's alone.
        seed: first.workloadSeed ?? spec.seed, steps: first.steps, config: spec.config, stopOn: spec.stopOn,
        choices: ChoiceLog.deserialize(first.choices ?? []), kind: first.violation.kind, strategyName: spec.strategy,
        ...(first.violation.thrown !== undefined ? { message: first.violation.message } : {}),
        ...(options.command !== undefined ? { command: options.command } : {}),
        ...(options.hooks?.cancelled !== undefined ? { cancelled: options.hooks.cancelled } : {}),
      };
      if (options.shrink !== false && options.beforeShrink !== undefined) options.beforeShrink((await shrink({ ...input, maxCandidates: 0 })).trace);
      shrunk = await shrink({ ...input, ...(options.shrink === false ? { maxCandidates: 0 } : {}) });
      trace = shrunk.trace;
    } catch (error) {
      // The found execution, run again from its workload and answers, ended otherwise: the
      // scenario's code is not a function of them. A finding all the same, without a trace.
      if (!(error instanceof ShrinkError)) throw error;
      notReproduced = `run again from the same workload and answers, ${error.message.replace(/^the recorded run /, 'the execution ')}`;
    }
  }
  if (trace !== null && needsFreshReplay(trace)) {
    // Reproduced here, on the module evaluation every execution shared: the trace is offered
    // only if it reproduces where `vmmsim replay` will run it (see freshReplay.ts).
    const verdict = await replayInFreshThread(trace, scenario);
    if (verdict.reproduced === false) {
      notReproduced = `its trace, replayed in a thread of its own on a fresh evaluation of the scenario module (as \`vmmsim replay\` runs it), ${verdict.why}`;
      trace = null;
    }
  }
  const confidence = spec.strategy === 'pct' && first === null
    ? pctConfidence(1 + irqSources(scenario.devices).length, Math.max(spec.pctK, campaign.irqPointsMax), spec.params.depth, campaign.executions, spec.params.irqBudget, workloadCount(spec), spec.pctK)
    : null;
  return {
    spec, campaign, elapsedMs, execsPerSec: elapsedMs > 0 ? (campaign.executions * 1000) / elapsedMs : 0, trace,
    shrunk: options.shrink === false ? null : shrunk, confidence, notReproduced,
  };
}
