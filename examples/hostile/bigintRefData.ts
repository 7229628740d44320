/**
 * Hostile driver (reference data that is a bigint): a port that keeps its counters as bigints
 * passes one as the event's reference data. EDX is a 32-bit register: the call is the
 * procedure's error, exit 1, and the value is shown as a bigint (was: "got 5", which read as a
 * valid integer).
 */
import { hostileScenario } from './common.js';

export default hostileScenario('bigint-ref-data', () => ({ done: 0, sequence: 5n }), {
  complete(r) {
    r.state.done++;
  },
  poke(r) {
    r.scheduleGlobalEvent('complete', r.state.sequence as unknown as number);
  },
});
