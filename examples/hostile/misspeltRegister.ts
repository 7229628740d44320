/**
 * Hostile driver (a misspelt register): `poke` loads `rsi`, a name no 32-bit register has, then
 * cancels with the handle in ESI. The register file takes no new names: the write is the
 * procedure's error, exit 1 (was: the write went nowhere, and the service read ESI's 0).
 */
import { hostileScenario } from './common.js';

export default hostileScenario('misspelt-register', () => ({}), {
  poke(r) {
    (r.regs as unknown as Record<string, unknown>)['rsi'] = 0x10001;
    r.vmmCall('Cancel_Global_Event');
  },
});
