/**
 * The options of a run on threads, shared by `run --runtime threads` and `stress`: how long,
 * what to break on purpose, where the logs go, how fast the hardware interrupts, where the
 * actors' threads run.
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import { FaultSpecError, parseFaultSpec, type FaultSpec } from '../actors/threads/faults.js';
import type { ThreadLayoutMode } from '../actors/threads/threadLayout.js';
import { parseDurationMs } from '../shared/duration.js';
import { LOG_LEVELS, type LogLevel } from '../shared/logLevels.js';
import { oneOf, positiveNumber } from './parse.js';

export interface ThreadFlags {
  /** Milliseconds. */
  duration: number;
  fault: FaultSpec[];
  log?: string;
  logLevel?: LogLevel;
  irqScale: number;
  threadLayout: ThreadLayoutMode;
}

const THREAD_LAYOUTS = ['auto', 'split', 'shared'] as const satisfies readonly ThreadLayoutMode[];

/** A week: longer than any stress run anyone means to type. */
const DURATION_MS_MAX = 7 * 24 * 3_600_000;

/** A time: above 0 (at least `minMs`, and `why` says why) and at most 7 days. */
export function duration(name: string, minMs = 0, why = ''): (value: string) => number {
  const floor = minMs > 0 ? `at least ${minMs / 1000}s${why}` : 'above 0';
  return (value) => {
    const ms = parseDurationMs(value);
    if (ms === undefined || ms <= 0 || ms < minMs || ms > DURATION_MS_MAX) {
      throw new InvalidArgumentError(`${name} must be a time ${floor} and at most 7 days (3, 500ms, 1.5s, 10m, 2h), got '${value}'`);
    }
    return ms;
  };
}

function fault(value: string, previous: FaultSpec[]): FaultSpec[] {
  try {
    return [...previous, parseFaultSpec(value)];
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
}

export function addThreadOptions(command: Command, defaultDuration: string): Command {
  return command
    .addOption(new Option('--duration <time>', 'how long the threaded run lasts: 3 (seconds), 500ms, 1.5s, 10m, 2h (threads runtime)')
      .argParser(duration('--duration'))
      // Shown as typed: a bare number means seconds, so the default reads '3s', never '3000'.
      .default(parseDurationMs(defaultDuration), /^\d+(\.\d+)?$/.test(defaultDuration) ? `${defaultDuration}s` : defaultDuration))
    .option('--fault <spec>', 'make an actor fail on purpose: <crash|exit|hang>:<vmm|pic|vmN>@<time|start|stop>, e.g. crash:vm2@2s (repeatable)', fault, [])
    .option('--irq-scale <x>', "multiplies each device's mean IRQ interval (read as real microseconds on threads)", positiveNumber('--irq-scale', 1_000_000), 1)
    .option('--thread-layout <layout>', 'split: the VMM actor on a CPU of its own, the other actors on the rest (Linux, taskset); shared: every thread anywhere; auto: split unless other processes keep half the CPUs busy', oneOf('--thread-layout', THREAD_LAYOUTS), 'auto')
    .option('--log <file>', 'write structured JSON logs (pino) to this file (default level info)')
    .option('--log-level <level>', `log level: ${LOG_LEVELS.join(', ')} (without --log, logs go to stderr)`, oneOf('--log-level', LOG_LEVELS));
}
