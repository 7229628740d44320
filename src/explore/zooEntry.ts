/**
 * A bug-zoo entry: a classic VxD event bug in a small scenario, its fixed twin, and the budget
 * its documentation promises the bug is found within. The entries live in examples/zoo.
 */
import type { Scenario } from '../scenario/scenario.js';

export interface ZooBudget {
  /** Executions per strategy. */
  iterations: number;
  /** Client steps per execution for random and pct. */
  steps: number;
  /** Client steps per execution for dfs (its tree grows fast with depth). */
  dfsSteps: number;
  /** PCT bug depth. */
  depth: number;
  /** Interrupts per execution (random, pct). */
  irqBudget: number;
  /** dfs: IRQs in all, and inside ring-0 code. */
  dfsIrqBound: number;
  dfsPreemptionBound: number;
}

export interface ZooEntry {
  name: string;
  title: string;
  /** The violation kind the bug shows as. */
  kind: string;
  /** The buggy scenario (fixed = false) or its fixed twin. */
  scenario(fixed: boolean): Scenario;
  budget: ZooBudget;
}

export const DEFAULT_ZOO_BUDGET: ZooBudget = {
  iterations: 2000, steps: 40, dfsSteps: 16, depth: 2, irqBudget: 8, dfsIrqBound: 1, dfsPreemptionBound: 1,
};
