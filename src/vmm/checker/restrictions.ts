/**
 * SPEC §4's restriction table, written again from the text for the checker (deliberately not
 * shared with the model's own predicate, so one cannot hide a mistake in the other).
 */
import type { VmSnapshot } from '../history.js';

const CRITICAL_SECTION_BOOST = 0x00100000;

/** `boost`: what a boost about to be applied adds to the VM's priority (no snapshot copied for it). */
export function restrictionsHold(flags: number, s: VmSnapshot, boost = 0): boolean {
  const waitForSti = (flags & 0x1) !== 0;
  const waitNotCrit = (flags & 0x2) !== 0;
  const waitNotHwInt = (flags & 0x20) !== 0;
  const waitNotNestedExec = (flags & 0x40) !== 0;
  const waitInPm = (flags & 0x80) !== 0;
  return (
    (!waitForSti || s.vif) &&
    (!waitNotCrit || (s.critFree && s.priority + boost < CRITICAL_SECTION_BOOST)) &&
    (!waitNotHwInt || !s.simulatingHwInt) &&
    (!waitNotNestedExec || !s.nestedExec) &&
    (!waitInPm || s.pm)
  );
}

export const PEF_ALWAYS_SCHED = 0x8;
