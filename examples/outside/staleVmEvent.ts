/**
 * Outside driver 1 (cancel of a stale handle after the callback ran): a print spooler keeps the
 * handle of its VM event for the system VM, and its `spool` callback forgets to zero it. Once the
 * event has run, `abort` cancels a handle whose event is gone: SPEC §3 "Cancelling an event whose
 * callback has already run is forbidden". Needs no interrupt: the quiet schedule shows it.
 *
 * Fixed: the callback's first act is to zero the saved handle (the DDK idiom).
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

export function staleVmEventScenario(fixed: boolean): Scenario {
  const spooler = defineDevice<{ spooled: number }>({
    name: 'spooler',
    state: () => ({ spooled: 0 }),
    slots: ['job'],
    entries: ['print', 'abort'],
    procs: {
      print(r) {
        if (r.slot('job').read() !== 0) return; // a job is already queued
        r.slot('job').write(r.scheduleVmEvent(r.sysVm(), 'spool', 0));
      },
      spool(r) {
        if (fixed) r.slot('job').write(0);
        r.state.spooled++;
      },
      abort(r) {
        r.cancelVmEvent(r.sysVm(), r.slot('job').xchg(0));
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-stale-vm-event (fixed)' : 'outside-stale-vm-event',
    description: 'a VM event callback that does not zero its saved handle; abort cancels it after it ran',
    vms: 2,
    devices: [spooler, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default staleVmEventScenario(false);
