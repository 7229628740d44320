/**
 * Stateful dfs reads every device's state at step boundaries (its snapshots, its digests, the
 * check for state it cannot see), outside any device procedure: a getter or a proxy's trap in a
 * state is scenario code running there. Under the watchdog, as a procedure is: one that never
 * returned held the exploration for ever, past Ctrl-C (an outside audit). What it throws is
 * thrown as it was.
 */
import { DEVICE_STATES_READ, ring0Watch } from '../vmm/ring0Watch.js';

const NOTHING = Symbol('nothing thrown');

export function readingDeviceStates<T>(devices: number, read: () => T): T {
  let thrown: unknown = NOTHING;
  const where = { deviceIndex: devices, device: 'scenario', proc: 'device states' };
  const value = ring0Watch.enter(where, DEVICE_STATES_READ, () => {
    try {
      return read();
    } catch (error) {
      thrown = error;
      return undefined;
    }
  }, undefined);
  if (thrown !== NOTHING) throw thrown;
  return value as T;
}
