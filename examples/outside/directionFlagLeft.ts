/**
 * Outside driver 26 (a callback that returns with the direction flag set): a blitter's event
 * copies its buffer backwards (`std` / `rep movsd` / `cld`), but its "nothing to copy" early
 * return comes after the `std`. Ring-0 code and every callback are entered with the direction
 * flag clear and must return with it clear (SPEC §7: "a callback that returns with the direction
 * flag set"). Needs the blitter's interrupt while its buffer is empty.
 *
 * Fixed: the early return comes before the `std`.
 */
import { defineDevice, defineScenario, type Scenario } from '../../src/index.js';
import { NEIGHBOURS, OUTSIDE_MIX } from './common.js';

const IRQ = 11;
/** EFLAGS.DF (the direction flag), as `std` sets it. */
const EFLAGS_DF = 0x400;

interface BlitState { queued: number; copied: number }

export function directionFlagLeftScenario(fixed: boolean): Scenario {
  const blitter = defineDevice<BlitState>({
    name: 'blitter',
    state: () => ({ queued: 0, copied: 0 }),
    irqs: [{ irq: IRQ, hwIntProc: 'vsync', meanIntervalTicks: 300 }],
    slots: ['copy'],
    entries: ['queue'],
    procs: {
      vsync(r) {
        r.takeHardwareRequest(IRQ);
        r.physEoi(r.irqHandle(IRQ));
        if (r.slot('copy').read() !== 0) return;
        r.slot('copy').write(r.scheduleGlobalEvent('copyBack', 0));
      },
      copyBack(r) {
        r.slot('copy').write(0);
        if (fixed && r.state.queued === 0) return;
        r.regs.eflags |= EFLAGS_DF; // std: the copy overlaps upwards
        if (r.state.queued === 0) return;
        r.state.copied += r.state.queued;
        r.state.queued = 0;
        r.regs.eflags &= ~EFLAGS_DF; // cld
      },
      queue(r) {
        r.currentVm();
        r.state.queued++;
      },
    },
  });
  return defineScenario({
    name: fixed ? 'outside-direction-flag-left (fixed)' : 'outside-direction-flag-left',
    description: "a callback's early return comes after its std",
    vms: 1,
    devices: [blitter, ...NEIGHBOURS],
    mix: OUTSIDE_MIX,
    steps: 40,
  });
}

export default directionFlagLeftScenario(false);
