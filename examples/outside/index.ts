/**
 * The outside drivers: each a bug class written against the public API with its fixed twin,
 * the violation kind the buggy one must be reported with, and whether finding it needs an
 * interleaving (an interrupt placed, or an event order) or shows on the quiet schedule too.
 */
import type { Scenario } from '../../src/index.js';
import { boostLeakScenario } from './boostLeak.js';
import { cancelThenZeroScenario } from './cancelThenZero.js';
import { destroyedVmScenario } from './destroyedVm.js';
import { doubleCancelScenario } from './doubleCancel.js';
import { freedRefDataScenario } from './freedRefData.js';
import { lostCancelScenario } from './lostCancel.js';
import { missingEoiScenario } from './missingEoi.js';
import { orderAssumptionScenario } from './orderAssumption.js';
import { selfRescheduleScenario } from './selfReschedule.js';
import { staleVmEventScenario } from './staleVmEvent.js';
import { syncInCallbackScenario } from './syncInCallback.js';
import { callNowReentryScenario } from './callNowReentry.js';
import { criticalDoubleReleaseScenario } from './criticalDoubleRelease.js';
import { handleAsFlagScenario } from './handleAsFlag.js';
import { sharedCounterScenario } from './sharedCounter.js';
import { stuckVirtualIrqScenario } from './stuckVirtualIrq.js';
import { globalEventEbxScenario } from './globalEventEbx.js';
import { earlyReturnCliScenario } from './earlyReturnCli.js';
import { selfNestingScenario } from './selfNesting.js';
import { timeoutIgnoredScenario } from './timeoutIgnored.js';
import { tornShadowScenario } from './tornShadow.js';
import { sharedRequestBlockScenario } from './sharedRequestBlock.js';
import { critBoostNeverRunsScenario } from './critBoostNeverRuns.js';
import { sharedIrqClaimAllScenario } from './sharedIrqClaimAll.js';
import { hwIntEdiScenario } from './hwIntEdi.js';
import { directionFlagLeftScenario } from './directionFlagLeft.js';
import { swappedBoostFlagsScenario } from './swappedBoostFlags.js';
import { cancelOtherVmScenario } from './cancelOtherVm.js';
import { staleVmHandleScenario } from './staleVmHandle.js';
import { focusRaceScenario } from './focusRace.js';
import { eoiBeforeReadScenario } from './eoiBeforeRead.js';

export interface OutsideDriver {
  /** The module's file name in examples/outside (and examples/outside/fixed for the twin). */
  file: string;
  bugClass: string;
  kind: string;
  scenario: (fixed: boolean) => Scenario;
  /** true when the quiet schedule (no interrupt, FIFO) already shows it. */
  quiet: boolean;
}

export const OUTSIDE_DRIVERS: readonly OutsideDriver[] = [
  { file: 'staleVmEvent', bugClass: 'cancel of a stale handle after the callback ran', kind: 'staleCancel', scenario: staleVmEventScenario, quiet: true },
  { file: 'doubleCancel', bugClass: 'double cancel', kind: 'staleCancel', scenario: doubleCancelScenario, quiet: false },
  { file: 'lostCancel', bugClass: 'saved handle overwritten by a second schedule (lost cancel)', kind: 'frameAfterStop', scenario: lostCancelScenario, quiet: false },
  { file: 'syncInCallback', bugClass: 'synchronous service from a callback run at interrupt time', kind: 'syncServiceAtInterrupt', scenario: syncInCallbackScenario, quiet: false },
  { file: 'missingEoi', bugClass: 'IRQ left in service (a deferred Phys_EOI lost)', kind: 'irqLeftInService', scenario: missingEoiScenario, quiet: false },
  { file: 'boostLeak', bugClass: 'priority boost kept and never released', kind: 'boostLeaked', scenario: boostLeakScenario, quiet: false },
  { file: 'selfReschedule', bugClass: 'event re-scheduling itself from its callback (livelock)', kind: 'livelock', scenario: selfRescheduleScenario, quiet: false },
  { file: 'destroyedVm', bugClass: 'VM event for a VM being destroyed', kind: 'staleCancel', scenario: destroyedVmScenario, quiet: false },
  { file: 'orderAssumption', bugClass: 'two global events assumed to run in scheduling order', kind: 'indicateBeforeCopy', scenario: orderAssumptionScenario, quiet: false },
  { file: 'cancelThenZero', bugClass: 'handle zeroed after the cancel, without cli (xchg idiom done wrong)', kind: 'tickWhileDisarmed', scenario: cancelThenZeroScenario, quiet: false },
  { file: 'freedRefData', bugClass: 'reference data pointing to freed state', kind: 'useAfterFree', scenario: freedRefDataScenario, quiet: false },
  { file: 'callNowReentry', bugClass: 're-entrancy: Call_Global_Event runs the callback inside a half-done Hw_Int_Proc', kind: 'tornRing', scenario: callNowReentryScenario, quiet: false },
  { file: 'criticalDoubleRelease', bugClass: 'critical section released twice (error path falls through)', kind: 'criticalNotOwned', scenario: criticalDoubleReleaseScenario, quiet: false },
  { file: 'handleAsFlag', bugClass: 'saved handle used as the pending flag, never zeroed by the callback', kind: 'queueOverrun', scenario: handleAsFlagScenario, quiet: false },
  { file: 'sharedCounter', bugClass: 'counter shared by the interrupt handler and a callback, updated without cli', kind: 'lostFrame', scenario: sharedCounterScenario, quiet: false },
  { file: 'stuckVirtualIrq', bugClass: 'virtual IRQ never cleared (missing VPICD_Clear_Int_Request)', kind: 'spuriousInterrupt', scenario: stuckVirtualIrqScenario, quiet: false },
  { file: 'globalEventEbx', bugClass: 'global event callback takes EBX for the owning VM', kind: 'deliveredToWrongVm', scenario: globalEventEbxScenario, quiet: false },
  { file: 'earlyReturnCli', bugClass: 'callback returns early with interrupts disabled', kind: 'interruptsLeftDisabled', scenario: earlyReturnCliScenario, quiet: false },
  { file: 'selfNesting', bugClass: 'Hw_Int_Proc re-entered by its own IRQ after an early Phys_EOI and sti', kind: 'sampleOverwritten', scenario: selfNestingScenario, quiet: false },
  { file: 'timeoutIgnored', bugClass: 'priority event callback ignores the timed-out flag (carry)', kind: 'updateInsideHandler', scenario: timeoutIgnoredScenario, quiet: false },
  { file: 'sharedRequestBlock', bugClass: 'one request word for every VM: a second VM overwrites the read in flight', kind: 'requestOrphaned', scenario: sharedRequestBlockScenario, quiet: true },
  { file: 'critBoostNeverRuns', bugClass: 'priority event boosted to Critical_Section_Boost with PEF_Wait_Not_Crit (never runs)', kind: 'neverSatisfiable', scenario: critBoostNeverRunsScenario, quiet: false },
  { file: 'tornShadow', bugClass: 'deep race: knob interrupt inside apply, then mute inside the knob handler', kind: 'tornShadow', scenario: tornShadowScenario, quiet: false },
];

/**
 * A third round: the VPICD procedure contract (shared lines, EDI, the direction flag), the
 * registers of Call_Priority_VM_Event, VM handles across destruction, the focus change, and a
 * device read left until after the EOI. Kept apart from OUTSIDE_DRIVERS so that each list's
 * test stays within its time.
 */
export const OUTSIDE_DRIVERS_THIRD_ROUND: readonly OutsideDriver[] = [
  { file: 'sharedIrqClaimAll', bugClass: 'shared IRQ claimed by a sharer whose hardware did not raise it', kind: 'interruptStolen', scenario: sharedIrqClaimAllScenario, quiet: false },
  { file: 'hwIntEdi', bugClass: 'Hw_Int_Proc clobbers EDI on its overrun path', kind: 'registerClobbered', scenario: hwIntEdiScenario, quiet: false },
  { file: 'directionFlagLeft', bugClass: 'callback returns with the direction flag set (early return after std)', kind: 'directionFlagSet', scenario: directionFlagLeftScenario, quiet: false },
  { file: 'swappedBoostFlags', bugClass: 'Call_Priority_VM_Event with boost and flags in swapped registers', kind: 'reservedFlags', scenario: swappedBoostFlagsScenario, quiet: false },
  { file: 'cancelOtherVm', bugClass: "VM_Not_Executeable cancels another VM's event with the dying VM's handle", kind: 'cancelWrongVm', scenario: cancelOtherVmScenario, quiet: false },
  { file: 'staleVmHandle', bugClass: 'VM event scheduled for a VM handle kept past Destroy_VM', kind: 'invalidVmHandle', scenario: staleVmHandleScenario, quiet: false },
  { file: 'focusRace', bugClass: 'Set_Device_Focus cancels before it moves the focus (an interrupt in between)', kind: 'keyToUnfocusedVm', scenario: focusRaceScenario, quiet: false },
  { file: 'eoiBeforeRead', bugClass: 'device register read deferred to an event after the Phys_EOI', kind: 'sampleLost', scenario: eoiBeforeReadScenario, quiet: false },
];
