/**
 * The seeded strategies (pct, pos, random) of one campaign range, one object per member kept
 * and restarted on each execution's generator (`restart(rng)`: the strategy a new one on that
 * generator would be, its arrays rewritten in place) instead of one made per execution; the
 * generator too is the member's one, reseeded in place (Rng.reseed: a new one's draws). A kept
 * strategy is reused only for the same IRQ sources and the same parameters; anything else gets
 * a new one, which is then kept. test/explore/strategyPool.test.ts holds a restarted strategy's
 * answers to a new one's.
 */
import { irqSources } from '../actors/sim/irqSources.js';
import { RandomStrategy } from '../actors/sim/randomStrategy.js';
import { PctStrategy } from '../actors/sim/strategies/pct.js';
import { PosStrategy } from '../actors/sim/strategies/pos.js';
import type { Scenario } from '../scenario/scenario.js';
import { Rng } from '../shared/rng.js';
import type { ChoiceSource } from '../vmm/choices.js';
import { seededStrategy, strategySeed } from './execution.js';
import type { CampaignSpec, MemberName } from './spec.js';

type SeededMember = Exclude<MemberName, 'guided'>;

interface Kept {
  strategy: PctStrategy | PosStrategy | RandomStrategy;
  /** The generator the strategy draws from, reseeded for each execution. */
  rng: Rng;
  sources: unknown;
  /** The parameters it was made with: depth, k, IRQ budget, IRQ chance. */
  depth: number;
  k: number;
  irqBudget: number;
  irqChance: number;
}

export class StrategyPool {
  private readonly kept = new Map<SeededMember, Kept>();

  /** The choice source of iteration i under `member`, as seededStrategy makes it; valid until the next call for the same member. */
  strategy(scenario: Scenario, spec: CampaignSpec, iteration: number, member: SeededMember, seed = strategySeed(spec.seed, iteration)): ChoiceSource {
    const sources = irqSources(scenario.devices);
    const { depth, irqBudget, irqChance } = spec.params;
    const k = spec.pctK;
    const kept = this.kept.get(member);
    if (kept !== undefined && kept.sources === sources && kept.depth === depth && kept.k === k && kept.irqBudget === irqBudget && kept.irqChance === irqChance) {
      return kept.strategy.restart(kept.rng.reseed(seed));
    }
    const rng = new Rng(seed);
    const strategy = seededStrategy(scenario, spec, iteration, member, seed, rng) as Kept['strategy'];
    this.kept.set(member, { strategy, rng, sources, depth, k, irqBudget, irqChance });
    return strategy;
  }
}
