/**
 * Where the bug zoo's entries are found (examples/zoo registers its lookup), so that the core and
 * the command line need not know them. Apart from load.ts so that the command line can register
 * a lookup that loads the zoo when a scenario names it, without loading scenarios itself.
 */
import type { Scenario } from './scenario.js';

export type ZooLookup = (name: string, fixed: boolean) => Promise<Scenario | undefined>;
let zooLookup: ZooLookup | undefined;

export function registerZoo(lookup: ZooLookup): void {
  zooLookup = lookup;
}

/** The zoo entry's scenario (its fixed twin if `fixed`), or undefined: unknown, or no zoo registered. */
export async function zooScenario(name: string, fixed: boolean): Promise<Scenario | undefined> {
  return zooLookup?.(name, fixed);
}
