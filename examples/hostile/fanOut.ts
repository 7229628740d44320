/**
 * Hostile driver 7 (memory without bound): every callback schedules two more. Each processing
 * pass doubles the pending events; the livelock bound (1,000 dispatches in one pass) ends it as a
 * `livelock`, and memory stays bounded by the event pool (4,096 nodes).
 */
import { hostileScenario } from './common.js';

export default hostileScenario('fan-out', () => ({}), {
  spawn(r) {
    r.scheduleGlobalEvent('spawn', 0);
    r.scheduleGlobalEvent('spawn', 0);
  },
  poke(r) {
    r.scheduleGlobalEvent('spawn', 0);
  },
});
