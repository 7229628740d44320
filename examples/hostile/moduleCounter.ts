/**
 * Hostile driver 15 (state kept at module level): the driver counts its pokes in a module
 * variable, which no machine owns: it runs on across a campaign's executions, and a poke fails
 * the driver's own check only at the 37th of the thread. The execution that fails, run again from
 * its workload and answers (to shrink it, to write its trace), starts the count elsewhere and
 * does not fail. The tool cannot stop module state; it says the finding does not reproduce, and
 * why that can be, rather than failing with an internal error.
 */
import { hostileScenario } from './common.js';

let pokes = 0;

export default hostileScenario('module-counter', () => ({}), {
  poke(r) {
    pokes++;
    if (pokes % 37 === 0) r.fail('everyThirtySeventh', `poke ${pokes} of this thread`);
  },
});
