/**
 * Hostile driver 8 (the event pool emptied in one call): one trap schedules 5,000 global events.
 * The pool has 4,096 nodes: the 4,097th `Schedule_Global_Event` is `eventPoolExhausted`, refused,
 * and the run goes on.
 */
import { hostileScenario } from './common.js';

export default hostileScenario('pool-flood', () => ({ ran: 0 }), {
  count(r) {
    r.state.ran++;
  },
  poke(r) {
    for (let i = 0; i < 5000; i++) r.scheduleGlobalEvent('count', i);
  },
});
