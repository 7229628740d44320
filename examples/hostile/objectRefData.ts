/**
 * Hostile driver 3 (reference data that is an object): the driver passes its request record,
 * which points back at itself, as the event's reference data. EDX is a 32-bit register: the
 * call is the procedure's error, exit 1 (was: the object reached the callback as it was).
 */
import { hostileScenario } from './common.js';

interface Request { id: number; self?: Request }

export default hostileScenario('object-ref-data', () => ({ done: 0 }), {
  complete(r) {
    r.state.done++;
  },
  poke(r) {
    const request: Request = { id: 1 };
    request.self = request;
    r.scheduleGlobalEvent('complete', request as unknown as number);
  },
});
