/**
 * An error thrown by a scenario module's own code outside any device procedure (a timer it set,
 * a promise it left rejected): the user's error, exit 1, with where it was thrown. A module is
 * imported through tsx, whose URLs carry its namespace: a stack frame there is the module's.
 *
 * The same module runs on every thread that loads it (the command's, and each actor of a
 * threaded run), so the same stray throw may come from any of them first: each says this line.
 */
import { fileURLToPath } from 'node:url';

/** The one line that reports it (without "vmmsim: "), or null when the error is not the module's. */
export function scenarioCodeFailure(error: unknown): string | null {
  if (!(error instanceof Error) || typeof error.stack !== 'string') return null;
  let message: string;
  try {
    message = String(error.message);
  } catch {
    message = 'a value that cannot be printed was thrown';
  }
  return scenarioCodeFailureOf(message, error.stack);
}

/** The same, from an error's message and stack (as an actor's fault carries them across threads). */
export function scenarioCodeFailureOf(message: string, stack: string): string | null {
  const frame = /(file:\/\/[^\s()]+)\?tsx-namespace=[^\s():]*:(\d+):(\d+)/.exec(stack);
  if (frame === null) return null;
  return `scenario code threw outside a device procedure: ${message.split('\n')[0]!} (at ${fileURLToPath(frame[1]!)}:${frame[2]}:${frame[3]})`;
}

/** The name an actor's fault carries when it was a scenario module's stray throw. */
export const SCENARIO_CODE_ERROR = 'ScenarioCodeError';

/** User code's errors that the core already wraps with their own report: device code and scenario invariants that threw. */
export const CORE_WRAPPED_USER_ERRORS: ReadonlySet<string> = new Set(['DeviceCodeError', 'InvariantError']);

/**
 * The core's own verdicts on device code, which end a run as a runtime failure (exit 3) in both
 * runtimes: a runaway procedure (the service-call budget). Their stacks pass through the module's
 * frames, so without this they read as the module's stray throw (an outside audit: exit 1 on
 * threads, 3 on the simulator and in the replay).
 */
export const CORE_RUNTIME_VERDICTS: ReadonlySet<string> = new Set(['RunawayDevice']);
