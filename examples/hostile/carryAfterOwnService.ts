/**
 * Hostile driver 6 (a correct driver the model misread): a `PEF_Time_Out` priority event's
 * callback calls its own device's exported service (`vxdCall`), then tests the carry flag it was
 * entered with. SPEC §4: "A priority-event callback that is called because its timeout passed is
 * entered with the carry flag set". `r.carry` is "carry flag on entry", but the service's own
 * entry into the device set it to false, so a timed-out callback read "not timed out" and this
 * driver's check failed (`carryLost`, a false report). Now clean.
 */
import { PEF } from '../../src/index.js';
import { hostileScenario } from './common.js';

export default hostileScenario('carry-after-own-service', () => ({ timedOut: 0 }), {
  Get_Version(r) {
    r.regs.eax = 0x030a;
  },
  late(r) {
    const timedOut = r.carry;
    r.vxdCall('d', 'Get_Version');
    if (r.carry !== timedOut) r.fail('carryLost', `r.carry read ${String(r.carry)} after a service call, ${String(timedOut)} on entry`);
    if (timedOut) r.state.timedOut++;
  },
  poke(r) {
    // Holding the critical section, so PEF_Wait_Not_Crit cannot be met: the event times out.
    r.beginCriticalSection();
    r.callPriorityVmEvent({ boost: 0, vm: r.currentVm(), flags: PEF.Time_Out | PEF.Wait_Not_Crit | PEF.Always_Sched, callback: 'late', refData: 0, timeoutMs: 1 });
    r.execNested();
    r.execNested();
    r.endCriticalSection();
  },
}, { exports: { services: ['Get_Version'] } });
