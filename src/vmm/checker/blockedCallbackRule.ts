/**
 * Event callbacks that block on the critical section (SPEC §5: Begin_Critical_Section "blocks
 * another VM that asks for it"; the DDK's Call_Global_Event: "The callback procedure can carry
 * out any actions, and use any VMM services"). A dispatched callback may block: it leaves
 * (`blockedCallback` op `block`) with its VM blocked on the section, and later runs again from
 * the start (`restart`), or is dropped with its VM (`drop`). From the records:
 * - only the callback of a dispatched event blocks (not one a Call_XX_Event runs inside the
 *   call), and only with its VM blocked on the critical section; a VM holds one at a time;
 * - a restart is of the callback that blocked in the VM current now (the same event), with the
 *   VM no longer blocked and the section free or its own; it is not a second dispatch (the
 *   lifecycle rule ends the event at its one `dispatch`);
 * - nothing else runs in that VM while it holds one: not even a global event while it is still
 *   blocked (a task switch then comes before the global events, dispatchPlaceRule.ts), and once
 *   it is unblocked its callback first; a VM is never destroyed with one pending, unless it is
 *   dropped.
 * A callback that made service calls with an effect before it blocked gets a warning: its
 * restart makes them again.
 */
import type { EventKind } from '../eventTable.js';
import type { RecordOf } from '../history.js';
import type { CpuTracker } from './cpuTracker.js';
import type { CriticalSectionRule } from './criticalRule.js';
import type { Report, Warn } from './report.js';

type Blocking = RecordOf<'blockedCallback'>;

interface Blocked {
  kind: EventKind;
  handle: number;
  targetVm: number;
  timedOut: boolean;
  flags: number;
}

export class BlockedCallbackRule {
  /**
   * Handles of the callbacks running, innermost last (0: run inside its Call_XX_Event), at
   * [0, depth): slots are written over, not pushed and popped (two callbacks open and close per event).
   */
  private readonly running: number[] = [];
  /** The dispatch records' timedOut and flags of the callbacks running, beside `running`. */
  private readonly runningTimedOut: boolean[] = [];
  private readonly runningFlags: number[] = [];
  private depth = 0;
  /** VM id → the callback that blocked in it and has not run again. */
  private readonly blocked = new Map<number, Blocked>();

  constructor(
    private readonly cpu: CpuTracker,
    private readonly critical: CriticalSectionRule,
  ) {}

  /** Back to the state of a new instance (InvariantChecker.reset). */
  reset(): void {
    this.running.length = this.runningTimedOut.length = this.runningFlags.length = 0;
    this.depth = 0;
    if (this.blocked.size !== 0) this.blocked.clear();
  }

  dispatch(r: RecordOf<'dispatch'>, report: Report): void {
    if (this.blocked.size !== 0 && !r.inline) {
      if (r.kind === 'global') this.nothingMeanwhile(r, report);
      else this.nothingFirst(r, report);
    }
    this.open(r.inline ? 0 : r.handle, r.timedOut, r.flags);
  }

  /** Whether an event callback runs now (dispatched, or inside its Call_XX_Event). */
  get callbackRunning(): boolean {
    return this.depth !== 0;
  }

  /** Whether a callback that blocked in VM `vm` waits to run again (its ring 0 sleeps in it). */
  holds(vm: number): boolean {
    return this.blocked.size !== 0 && this.blocked.has(vm);
  }

  return(): void {
    this.close();
  }

  clientOp(r: RecordOf<'clientOp'>, report: Report): void {
    if (this.blocked.size !== 0) this.nothingFirst(r, report);
  }

  block(r: Blocking, report: Report, warn: Warn): void {
    const n = this.depth;
    const handle = n === 0 ? -1 : this.running[n - 1]!;
    const vm = this.cpu.current;
    if (handle !== r.handle || handle === 0) {
      const what = n === 0 ? 'no callback was running' : handle === 0 ? 'the running callback was called inside its Call_XX_Event' : `0x${handle.toString(16)} was running`;
      report({ seq: r.seq, ticks: r.ticks, kind: 'blockNotInDispatchedCallback', handle: r.handle, message: `${r.callback} (0x${r.handle.toString(16)}) blocked, but ${what}` });
    }
    if (!this.critical.isBlocked(vm)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'callbackBlockedVmRunnable', handle: r.handle, message: `${r.callback} blocked in VM ${vm}, which is not blocked on the critical section` });
    }
    if (this.blocked.has(vm)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'blockedCallbackTwice', handle: r.handle, message: `${r.callback} blocked in VM ${vm}, which already holds a blocked callback` });
    }
    const timedOut = n === 0 ? false : this.runningTimedOut[n - 1]!;
    const flags = n === 0 ? 0 : this.runningFlags[n - 1]!;
    this.blocked.set(vm, { kind: r.kind, handle: r.handle, targetVm: r.targetVm, timedOut, flags });
    this.close();
    if (r.effects > 0) {
      warn({
        seq: r.seq, ticks: r.ticks, kind: 'restartRepeatsCalls', handle: r.handle,
        message: `${r.callback} made ${r.effects} service call(s) with an effect before it blocked on the critical section; its restart makes them again (call Begin_Critical_Section first)`,
      });
    }
  }

  restart(r: Blocking, report: Report): void {
    const vm = this.cpu.current;
    const b = this.blocked.get(vm);
    if (b === undefined || b.handle !== r.handle || b.kind !== r.kind) {
      restartNotBlocked(r, vm, this.blockedIn(r.handle), report);
    } else if (b.targetVm !== r.targetVm || b.timedOut !== r.timedOut || b.flags !== r.flags) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'restartChanged', handle: r.handle, message: `${r.callback} restarted with other arguments than its dispatch (target VM, carry or flags)` });
    }
    if (b !== undefined) this.blocked.delete(vm);
    const owner = this.critical.ownerVm;
    if (this.critical.isBlocked(vm) || (owner !== 0 && owner !== vm)) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'restartWhileOwned', handle: r.handle, message: `${r.callback} restarted in VM ${vm} while VM ${owner} owns the critical section it blocked on` });
    }
    this.open(r.handle, r.timedOut, r.flags);
  }

  drop(r: Blocking, report: Report): void {
    const b = this.blocked.get(r.blockedVm);
    if (b === undefined || b.handle !== r.handle) {
      report({ seq: r.seq, ticks: r.ticks, kind: 'dropNotBlocked', handle: r.handle, message: `${r.callback} (0x${r.handle.toString(16)}) dropped with VM ${r.blockedVm}, where it had not blocked` });
      return;
    }
    this.blocked.delete(r.blockedVm);
  }

  vmLifecycle(r: RecordOf<'vmLifecycle'>, report: Report): void {
    if (r.op !== 'destroy' || !this.blocked.has(r.targetVm)) return;
    this.blocked.delete(r.targetVm);
    report({ seq: r.seq, ticks: r.ticks, kind: 'blockedCallbackLost', message: `VM ${r.targetVm} destroyed with a blocked callback neither run again nor dropped` });
  }

  /** Once its VM is no longer blocked, a blocked callback runs before anything else of that VM. */
  private nothingFirst(r: { seq: number; ticks: number; k: string }, report: Report): void {
    const vm = this.cpu.current;
    const b = this.blocked.get(vm);
    if (b === undefined || this.critical.isBlocked(vm)) return;
    report({ seq: r.seq, ticks: r.ticks, kind: 'blockedCallbackSkipped', handle: b.handle, message: `VM ${vm} went on (${r.k}) before its blocked callback 0x${b.handle.toString(16)} ran again` });
  }

  /**
   * A global event runs in whichever VM is current, but not in one whose ring 0 sleeps in a
   * callback that blocked: a second callback that blocked there took the first one's place (it
   * was dispatched and never completed). Once the VM is no longer blocked, its callback first.
   */
  private nothingMeanwhile(r: RecordOf<'dispatch'>, report: Report): void {
    const vm = this.cpu.current;
    const b = this.blocked.get(vm);
    if (b === undefined) return;
    if (!this.critical.isBlocked(vm)) {
      this.nothingFirst(r, report);
      return;
    }
    report({ seq: r.seq, ticks: r.ticks, kind: 'dispatchInSleepingVm', handle: r.handle, message: `global event ${r.callback} (0x${r.handle.toString(16)}) ran in VM ${vm}, which sleeps in its blocked callback 0x${b.handle.toString(16)}` });
  }

  private blockedIn(handle: number): number {
    for (const [vm, b] of this.blocked) if (b.handle === handle) return vm;
    return 0;
  }

  private open(handle: number, timedOut: boolean, flags: number): void {
    const n = this.depth;
    this.running[n] = handle;
    this.runningTimedOut[n] = timedOut;
    this.runningFlags[n] = flags;
    this.depth = n + 1;
  }

  /** A close with none open does nothing (as a pop of an empty stack). */
  private close(): void {
    if (this.depth > 0) this.depth--;
  }
}

function restartNotBlocked(r: Blocking, vm: number, blockedIn: number, report: Report): void {
  const where = blockedIn === 0 ? 'no VM holds it blocked' : `it blocked in VM ${blockedIn}`;
  report({ seq: r.seq, ticks: r.ticks, kind: 'restartNotBlocked', handle: r.handle, message: `${r.callback} (0x${r.handle.toString(16)}) restarted in VM ${vm}, but ${where}` });
}
