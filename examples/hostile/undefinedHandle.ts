/**
 * Hostile driver 2 (a handle that is not a number): `stop` cancels `r.state.pending`, a field the
 * driver never initialized, so the handle is `undefined`. A register holds no `undefined`: the
 * call is the procedure's error, exit 1, naming the helper and the argument (was: read as 0x0
 * and reported "cancelled 0x0, which was never an event handle", while 0 is the no-op handle).
 */
import { hostileScenario } from './common.js';

export default hostileScenario('undefined-handle', () => ({} as { pending?: number }), {
  poke(r) {
    r.cancelGlobalEvent(r.state.pending as number);
  },
});
