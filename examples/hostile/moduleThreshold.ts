/**
 * Hostile driver 16 (state kept at module level, a threshold): the driver counts its pokes in a
 * module variable and fails its own check at every poke past the 40th of the thread. Run after
 * run in one thread, the count only grows: once past 40, every execution fails, and so does the
 * found execution run again from its workload and answers, as often as shrinking asks. Only a
 * fresh evaluation of the module, as `vmmsim replay` makes, starts the count at 0 again, and
 * there a shrunk trace of a few pokes does not fail. The tool says the finding does not
 * reproduce rather than offer a trace whose replay diverges.
 */
import { hostileScenario } from './common.js';

let pokes = 0;

export default hostileScenario('module-threshold', () => ({}), {
  poke(r) {
    pokes++;
    if (pokes > 40) r.fail('pastForty', `poke ${pokes} of this thread`);
  },
});
