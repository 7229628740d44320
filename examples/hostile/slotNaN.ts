/**
 * Hostile driver (a slot written with what no register holds): the driver saves the result of a
 * division that came out NaN in its handle slot. A slot is a 32-bit word: the write is the
 * procedure's error, exit 1 (was: stored as 0 in silence, so a later cancel of "the saved
 * handle" was a no-op).
 */
import { hostileScenario } from './common.js';

export default hostileScenario('slot-nan', () => ({ done: 0, requests: 0 }), {
  complete(r) {
    r.state.done++;
  },
  poke(r) {
    const perRequest = r.state.done / r.state.requests;
    r.slot('saved').write(perRequest);
  },
});
