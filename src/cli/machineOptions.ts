/** The options that say which machine a run simulates and how; `run` and `stress` share them. */
import { Option, type Command } from 'commander';
import type { ThreadScenario } from '../actors/threads/orchestrator.js';
import type { Scenario } from '../scenario/scenario.js';
import type { RunConfig, ScenarioRef } from '../shared/trace.js';
import { UsageError } from './errors.js';
import type { Given } from './given.js';
import { integer, oneOf, seed } from './parse.js';
import { duration } from './threadOptions.js';
import { RING0_WALL_MS_DEFAULT } from '../actors/ring0Watchdog.js';

export interface MachineFlags {
  seed: number;
  vms: number;
  scenario?: string;
  latitude?: boolean;
  handles: 'checked' | 'pooled';
  trace: string | false;
  json?: boolean;
  vmmOnly?: boolean;
  /** Milliseconds. */
  watchdog: number;
}

export function addMachineOptions(command: Command, traceDefault: string): Command {
  return command
    .option('--seed <n>', "master seed (an integer, or 'random')", seed, 1)
    .option('--vms <n>', 'virtual machines, the system VM included (built-in machine)', integer('--vms', 1, 64), 4)
    .option('--scenario <file>', 'a scenario module instead of the built-in machine')
    .option('--latitude', "let the VMM schedule a Call_XX_Event it could call now (SPEC §3 'latitude')")
    .option('--handles <mode>', "checked (stale handles detected) or pooled (real-VMM reuse: a stale cancel is not reported, it cancels what reused the node); default: the scenario's, else checked", oneOf('--handles', ['checked', 'pooled'] as const), 'checked')
    .option('--trace <file>', `where to write the trace (default ${traceDefault})`)
    .option('--no-trace', 'do not write a trace')
    .option('--vmm-only', 'exit 1 only for VMM invariant violations (device bugs and scenario invariants are reported, exit 0)')
    .addOption(watchdogOption('run'))
    .option('--json', 'one JSON object on stdout');
}

/**
 * `--watchdog <time>`, for every command that runs device code (`ends`: what the watchdog ends).
 * Shown as typed (a bare number means seconds): the default reads '3s', never '3000'.
 */
export function watchdogOption(ends: string): Option {
  return new Option('--watchdog <time>', `wall time one ring-0 entry of device code may run before the watchdog ends the ${ends} (exit 3)`)
    .argParser(duration('--watchdog')).default(RING0_WALL_MS_DEFAULT, '3s');
}

export interface Machine {
  scenario: Scenario;
  /** For the simulated runtime and its trace. */
  scenarioRef: ScenarioRef;
  threadScenario: ThreadScenario;
  config: RunConfig;
}

/** The scenario loaded (and validated) and the configuration: the scenario's own, under the flags the user gave. */
export async function resolveMachine(flags: MachineFlags & { steps?: number }, given: Given): Promise<Machine> {
  if (flags.scenario !== undefined && given('vms')) throw new UsageError('--vms applies to the built-in machine only (a scenario says its own VMs)');
  const scenarioRef: ScenarioRef = flags.scenario !== undefined
    ? { kind: 'module', path: flags.scenario }
    : { kind: 'builtin', name: 'default', vms: flags.vms, steps: flags.steps ?? 20_000 };
  // Loaded here, not with the options: the scenario loader brings the core and the validator.
  const { loadScenario } = await import('../scenario/load.js');
  const scenario = await loadScenario(scenarioRef);
  const own = scenario.config ?? {};
  const config: RunConfig = {
    handleMode: given('handles') ? flags.handles : own.handleMode ?? 'checked',
    latitude: given('latitude') ? true : own.latitude ?? false,
    ...(own.livelockBound !== undefined ? { livelockBound: own.livelockBound } : {}),
  };
  const threadScenario: ThreadScenario = flags.scenario !== undefined ? { kind: 'module', path: flags.scenario } : { kind: 'builtin', vms: flags.vms };
  return { scenario, scenarioRef, threadScenario, config };
}

/** Exit 1 for any violation, or only for VMM ones with --vmm-only. */
export function violationFound(result: { invariantsOk: boolean; deviceBugs: number }, vmmOnly: boolean | undefined): boolean {
  return !result.invariantsOk || (!vmmOnly && result.deviceBugs > 0);
}
