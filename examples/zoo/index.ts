/**
 * The bug zoo: classic VxD event bugs, each in a small scenario with its fixed twin, and the
 * budget within which exploration is documented to find it. Importing this module registers
 * the zoo, so that `{ kind: 'zoo', name, fixed }` scenario references load (traces, workers).
 */
import { registerZoo } from '../../src/scenario/load.js';
import { DEFAULT_ZOO_BUDGET, type ZooEntry } from '../../src/explore/zooEntry.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { clobberedEbpScenario } from './clobberedEbp.js';
import { livelockScenario } from './livelock.js';
import { gpioShadowScenario } from './gpioShadow.js';
import { nestedIrqScenario } from './nestedIrq.js';
import { stopRaceScenario } from './stopRace.js';
import { timeoutStaleScenario } from './timeoutStale.js';
import { workStealScenario } from './workSteal.js';
import { pooledStaleScenario } from './pooledStale.js';
import { readThenCancelScenario } from './readThenCancel.js';
import { staleHandleScenario } from './staleHandle.js';
import { syncAtInterruptScenario } from './syncAtInterrupt.js';
import { wrongCancelScenario } from './wrongCancel.js';

/**
 * One scenario object per (entry, twin) in a process, as a module scenario is one module: every
 * campaign of the process runs the same devices, so the machine's per-spec tables are built
 * once, and a later campaign (the bench's timed one after its warm-up, `--zoo`'s next strategy)
 * meets the compiled code it ran before instead of a new spec that deoptimizes the machine's
 * construction. Scenarios are definitions (each machine makes its devices' state afresh).
 */
function once(make: (fixed: boolean) => Scenario): (fixed: boolean) => Scenario {
  const made: [Scenario | undefined, Scenario | undefined] = [undefined, undefined];
  return (fixed) => (made[fixed ? 1 : 0] ??= make(fixed));
}

const ENTRIES: readonly ZooEntry[] = [
  {
    name: 'stale-handle', title: 'the callback does not zero the saved handle; a later cancel hits a stale handle',
    kind: 'staleCancel', scenario: staleHandleScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'read-then-cancel', title: 'the cancel reads the saved handle, then cancels without xchg, racing the dispatch',
    kind: 'staleCancel', scenario: readThenCancelScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'wrong-cancel-service', title: 'an event cancelled with the wrong Cancel_ service',
    kind: 'wrongCancelService', scenario: wrongCancelScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'sync-service-at-interrupt', title: 'a synchronous service called from a Hw_Int_Proc that interrupted the VMM',
    kind: 'syncServiceAtInterrupt', scenario: syncAtInterruptScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'clobbered-ebp', title: 'a callback that clobbers EBP',
    // Two interrupts must cut into the same ring-0 code: dfs needs two IRQs and two preemptions.
    kind: 'registerClobbered', scenario: clobberedEbpScenario, budget: { ...DEFAULT_ZOO_BUDGET, dfsSteps: 8, dfsIrqBound: 2, dfsPreemptionBound: 2 },
  },
  {
    name: 'livelock', title: 'a callback that re-schedules itself forever',
    kind: 'livelock', scenario: livelockScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'pooled-stale-cancel', title: "with pooled handles, a stale cancel silently cancels another device's event",
    kind: 'lostEvent', scenario: pooledStaleScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'nested-irq-order', title: "a second source's interrupt nested in the first one's handler after its sti sees a torn descriptor",
    kind: 'tornDescriptor', scenario: nestedIrqScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'stop-race', title: "the stop interrupt lands between the I/O path's stopping check and its counter increment (SCTBench bluetooth_driver_bad)",
    kind: 'ioAfterStop', scenario: stopRaceScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'gpio-lost-update', title: "an interrupt's pin toggle lost in the driver's read-modify-write of the port (sv-benchmarks pc8736x_gpio)",
    kind: 'lostUpdate', scenario: gpioShadowScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'work-steal-queue', title: 'a steal between the owner reading the head and publishing the tail takes the last item twice (CHESS WorkStealQueue)',
    kind: 'duplicateTake', scenario: workStealScenario, budget: DEFAULT_ZOO_BUDGET,
  },
  {
    name: 'timeout-stale-cancel', title: 'a priority event times out, its callback keeps the handle, and an interrupt cancels it stale',
    kind: 'staleCancel', scenario: timeoutStaleScenario, budget: { ...DEFAULT_ZOO_BUDGET, steps: 80 },
  },
];

export const ZOO: readonly ZooEntry[] = ENTRIES.map((entry) => ({ ...entry, scenario: once(entry.scenario) }));

export function zooEntry(name: string): ZooEntry | undefined {
  return ZOO.find((entry) => entry.name === name);
}

registerZoo(async (name, fixed) => zooEntry(name)?.scenario(fixed));
