/**
 * Hostile driver 9 (re-entry without end): a global event callback schedules itself and runs
 * nested execution, whose processing point runs it again, inside itself. The JavaScript stack
 * would overflow; the livelock bound ends it first (`livelock`), with a replayable trace.
 */
import { hostileScenario } from './common.js';

export default hostileScenario('nested-self-reschedule', () => ({}), {
  again(r) {
    r.scheduleGlobalEvent('again', 0);
    r.execNested();
  },
  poke(r) {
    r.scheduleGlobalEvent('again', 0);
    r.execNested();
  },
});
