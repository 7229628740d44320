/**
 * Hostile driver (a procedure that never returns but keeps calling a service, from its third
 * poke on): the service-call budget ends it as a runaway, exit 3, in `run` and `explore`; the
 * budget counts calls, so `explore` re-runs the execution into a trace that replays to the call.
 */
import { hostileScenario } from './common.js';

export default hostileScenario('service-loop', () => ({ pokes: 0 }), {
  poke(r) {
    if (++r.state.pokes < 3) return;
    for (;;) r.currentVm();
  },
});
