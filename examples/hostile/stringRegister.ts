/**
 * Hostile driver (a register written with what no register holds): `poke` loads ESI with a
 * string, as a driver ported from assembly might with a name where a handle belongs, and makes
 * the raw `VMMcall Cancel_Global_Event`. The raw call reads its inputs from the registers, each a
 * 32-bit value: the call is the procedure's error, exit 1, naming the call and the register
 * (was: read as 0, "cancelled 0x0, which was never an event handle", a value never passed).
 */
import { hostileScenario } from './common.js';

export default hostileScenario('string-register', () => ({ pending: 'timer' }), {
  poke(r) {
    (r.regs as unknown as Record<string, unknown>)['esi'] = r.state.pending;
    r.vmmCall('Cancel_Global_Event');
  },
});
