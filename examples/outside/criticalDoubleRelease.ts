/**
 * Outside driver 13 (a critical section released twice): a tape driver's `flush` claims the
 * critical section, and on the error path (the drive reported an error, from its interrupt)
 * releases it before logging, then falls through to the common exit, which releases it again.
 * The VM owned the section once; the second `End_Critical_Section` releases a section it no
 * longer owns. Needs the error interrupt before a `flush`.
 *
 * Fixed: the error path and the common path each release exactly once.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 6;

interface TapeState { errorPending: boolean; flushes: number; errorsLogged: number }

export function criticalDoubleReleaseScenario(fixed: boolean): Scenario {
  const tape = defineDevice<TapeState>({
    name: 'tape',
    state: () => ({ errorPending: false, flushes: 0, errorsLogged: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'driveError', meanIntervalTicks: 400 }],
    entries: ['flush', 'status'],
    procs: {
      driveError(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        r.state.errorPending = true;
      },
      flush(r) {
        r.beginCriticalSection();
        if (r.state.errorPending) {
          r.state.errorPending = false;
          r.endCriticalSection();
          r.state.errorsLogged++;
          if (fixed) return;
          // BUG: falls through to the common exit, which releases again
        }
        r.state.flushes++;
        r.endCriticalSection();
      },
      status(r) {
        r.currentVm();
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-critical-double-release (fixed)' : 'outside-critical-double-release',
    description: 'an error path releases the critical section and falls through to the common exit, which releases it again',
    vms: 1,
    devices: [tape, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default criticalDoubleReleaseScenario(false);
