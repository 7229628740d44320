/**
 * Hostile driver 4 (a time-out that is no integer): the driver computes `PEF_Time_Out`'s
 * milliseconds from microseconds and passes 0.25. EDI takes whole milliseconds: the call is the
 * procedure's error, exit 1 (was: read as 0 ms, a time-out that fires at once).
 */
import { PEF } from '../../src/index.js';
import { hostileScenario } from './common.js';

export default hostileScenario('fractional-timeout', () => ({ ran: 0 }), {
  late(r) {
    r.state.ran++;
  },
  poke(r) {
    const timeoutUs = 250;
    r.callPriorityVmEvent({ boost: 0x10, vm: r.currentVm(), flags: PEF.Time_Out | PEF.Wait_For_STI, callback: 'late', refData: 0, timeoutMs: timeoutUs / 1000 });
  },
});
