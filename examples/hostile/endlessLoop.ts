/**
 * Hostile driver 10 (a procedure that never returns and calls nothing): the watchdog ends the run
 * with the device and procedure named, exit 3, never a hang.
 */
import { hostileScenario } from './common.js';

export default hostileScenario('endless-loop', () => ({ spins: 0 }), {
  poke(r) {
    for (;;) r.state.spins++;
  },
});
