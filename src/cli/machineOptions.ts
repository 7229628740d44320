/** The options that say which machine a run simulates and how; `run` and `stress` share them. */
import type { Command } from 'commander';
import type { ThreadScenario } from '../actors/threads/orchestrator.js';
import type { RunConfig } from '../shared/trace.js';
import { integer, oneOf, seed } from './parse.js';

export interface MachineFlags {
  seed: number;
  vms: number;
  scenario?: string;
  latitude?: boolean;
  handles: 'checked' | 'pooled';
  trace: string | false;
  json?: boolean;
}

export function addMachineOptions(command: Command, traceDefault: string): Command {
  return command
    .option('--seed <n>', "master seed (an integer, or 'random')", seed, 1)
    .option('--vms <n>', 'virtual machines, the system VM included', integer('--vms', 1, 64), 4)
    .option('--scenario <file>', 'a scenario module instead of the built-in machine')
    .option('--latitude', "let the VMM schedule a Call_XX_Event it could call now (SPEC §3 'latitude')")
    .option('--handles <mode>', 'checked (stale handles detected) or pooled (real-VMM reuse)', oneOf('--handles', ['checked', 'pooled'] as const), 'checked')
    .option('--trace <file>', `where to write the trace (default ${traceDefault})`)
    .option('--no-trace', 'do not write a trace')
    .option('--json', 'one JSON object on stdout');
}

export function runConfig(flags: Pick<MachineFlags, 'handles' | 'latitude'>): RunConfig {
  return { handleMode: flags.handles, latitude: flags.latitude ?? false };
}

export function threadScenario(flags: Pick<MachineFlags, 'scenario' | 'vms'>): ThreadScenario {
  return flags.scenario !== undefined ? { kind: 'module', path: flags.scenario } : { kind: 'builtin', vms: flags.vms };
}
