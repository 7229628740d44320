/**
 * A loaded scenario's own code, guarded the way device procedures already are, so that whatever
 * it does ends in one line and a meaningful exit code:
 * - a value thrown that cannot be printed (`throw Object.create(null)`, a getter that throws)
 *   becomes an Error saying so (the report prints the message of what was thrown);
 * - a device's `state()` and the scenario's invariants run as watched entries (ring0Watch), so a
 *   loop that never returns is ended by the watchdog like one in a procedure; a `state()` that
 *   throws is reported as that device's error, like a procedure's;
 * - an invariant that returns something other than a message or undefined is a violation whose
 *   message says what it returned.
 *
 * Watch-word indices for the watcher's report (ring0Watchdog.ts): a device's `state()` is
 * procedure index `procs.length` of its device; invariant k is procedure k of device index
 * `devices.length`.
 */
import { DeviceCodeError, ring0Watch } from '../vmm/ring0Watch.js';
import type { AnyDeviceSpec, DeviceProc, Ring0 } from '../vmm/device.js';
import type { Scenario, ScenarioInvariant } from './scenario.js';

const NOTHING = Symbol('nothing thrown');

/** What was thrown, as something whose message can be read. */
export function printable(thrown: unknown): unknown {
  try {
    // The runtime and the report read an object's name, message and stack (a getter or a
    // proxy trap may throw there, far from the user's code): read them once here.
    if (thrown !== null && (typeof thrown === 'object' || typeof thrown === 'function')) {
      const { name, message, stack } = thrown as Partial<Error>;
      void `${String(name)}${String(message)}${String(stack)}`;
    }
    if (thrown instanceof Error) return thrown;
    void String(thrown);
    return thrown;
  } catch (readError) {
    // Reading it overflowed the stack (a procedure that recursed without end threw at the stack's
    // limit, where even formatting its stack has no room): it prints once unwound. It was
    // reported as "a value that cannot be printed was thrown" instead of the stack overflow.
    if (readError instanceof RangeError) return thrown;
    return new Error('a value that cannot be printed was thrown');
  }
}

function isThenable(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  try {
    return typeof (value as { then?: unknown }).then === 'function';
  } catch {
    return false;
  }
}

function guardDevice(device: AnyDeviceSpec, deviceIndex: number): AnyDeviceSpec {
  const procs: Record<string, DeviceProc<unknown>> = {};
  for (const [name, proc] of Object.entries(device.procs) as [string, DeviceProc<unknown>][]) {
    // A procedure takes the one argument the runtime passes (its Ring0 context): passed on as
    // it is, with no rest array and no `apply` per entry (two entries per event on the event path).
    procs[name] = function guarded(this: unknown, r: Ring0<unknown>): boolean | void {
      let result: unknown;
      try {
        result = proc.call(this, r);
      } catch (error) {
        throw printable(error);
      }
      // A plain function that returns a promise (an async helper's result): its work would run
      // after ring-0 code returned, outside every rule the run checks.
      if (isThenable(result)) {
        void Promise.resolve(result as Promise<unknown>).catch(() => undefined);
        throw new Error('returned a promise: ring-0 code cannot await (its work must be done before it returns)');
      }
      return result as boolean | void;
    };
  }
  const stateIndex = Object.keys(device.procs).length;
  const where = { deviceIndex, device: device.name, proc: 'state()' };
  const state = (): unknown => {
    let thrown: unknown = NOTHING;
    const value = ring0Watch.enter(where, stateIndex, () => {
      try {
        const made = device.state();
        // A plain function that returns a promise: the run would keep the promise as the
        // device's state. Looked at inside the entry: reading `then` runs the state's own getter
        // or proxy trap, which the watchdog must cover (one that never returned hung the run).
        if (isThenable(made)) {
          void Promise.resolve(made as Promise<unknown>).catch(() => undefined);
          thrown = new Error('returned a promise: a device state is made at once (state() cannot await)');
          return undefined;
        }
        return made;
      } catch (error) {
        thrown = error;
        return undefined;
      }
    }, undefined);
    if (thrown !== NOTHING) throw new DeviceCodeError(where, printable(thrown));
    return value;
  };
  return { ...device, state, procs } as AnyDeviceSpec;
}

function guardInvariant(invariant: ScenarioInvariant, index: number, devices: number): ScenarioInvariant {
  const where = { deviceIndex: devices, device: 'scenario', proc: `invariant ${invariant.name}` };
  const check: ScenarioInvariant['check'] = (view) => {
    let thrown: unknown = NOTHING;
    const result: unknown = ring0Watch.enter(where, index, () => {
      try {
        return invariant.check(view);
      } catch (error) {
        thrown = error;
        return undefined;
      }
    }, undefined);
    // Thrown outside the watched entry: the run reports it as the invariant's own error.
    if (thrown !== NOTHING) throw printable(thrown);
    if (result === undefined || typeof result === 'string') return result;
    let shown: string;
    try {
      shown = typeof result === 'object' && result !== null ? 'an object' : String(result);
    } catch {
      shown = 'a value that cannot be printed';
    }
    return `returned ${shown} (an invariant returns a message string when it fails, undefined when it holds)`;
  };
  return { ...invariant, check };
}

export function guardScenario(scenario: Scenario): Scenario {
  const devices = scenario.devices.map(guardDevice);
  return {
    ...scenario, devices,
    ...(scenario.invariants !== undefined ? { invariants: scenario.invariants.map((inv, i) => guardInvariant(inv, i, devices.length)) } : {}),
  };
}
