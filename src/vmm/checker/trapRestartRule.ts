/**
 * A trap handler that blocks on the critical section is unwound, and the VM executes the trap
 * again when it is unblocked (README "A blocking service", a model choice like a restartable
 * fault): every service call the handler made before the block is made again. The real VMM
 * blocks inside the service and returns into the handler, so a device that calls
 * Begin_Critical_Section after, say, Schedule_Global_Event schedules two events here where
 * Windows schedules one. That is a warning (no violation: the device did nothing wrong), as for
 * a blocked callback (`restartRepeatsCalls`, blockedCallbackRule.ts): a device invariant that then
 * breaks is the model's doing, and the run says so.
 *
 * Counted: the calls with an effect (not `Get_...` queries) made in the trap's ring 0, callbacks it
 * ran inside a `Call_XX_Event` included, not those of a hardware interrupt that came meanwhile
 * (interrupt time: the restart does not repeat the interrupt).
 */
import type { RecordOf } from '../history.js';
import type { CpuTracker } from './cpuTracker.js';
import type { Warn } from './report.js';

export class TrapRestartRule {
  /** Calls with an effect made so far by each open trap, innermost last (a trap in nested execution nests). */
  private readonly calls: number[] = [];
  private depth = 0;
  /** The device of the last call counted: at a block, the one that called Begin_Critical_Section. */
  private device = '';

  constructor(private readonly cpu: CpuTracker) {}

  reset(): void {
    this.depth = 0;
    this.device = '';
  }

  trap(): void {
    this.calls[this.depth++] = 0;
  }

  trapReturn(): void {
    if (this.depth === 0) return;
    const inner = this.calls[--this.depth]!;
    // A trap inside the nested execution of another is part of that one: its restart repeats both.
    if (this.depth !== 0) this.calls[this.depth - 1]! += inner;
  }

  service(r: RecordOf<'service'>): void {
    if (this.depth === 0 || this.cpu.atInterruptTime || r.service.startsWith('Get_')) return;
    this.calls[this.depth - 1]!++;
    this.device = r.device;
  }

  /** A `block` while a trap is open and no callback runs is the trap's (critical.ts mayBlock). */
  critical(r: RecordOf<'critical'>, callbackRunning: boolean, warn: Warn): void {
    if (r.op !== 'block' || this.depth === 0 || callbackRunning) return;
    // The blocking Begin_Critical_Section is one of the calls counted: the others came before it.
    const before = this.calls[this.depth - 1]! - 1;
    if (before <= 0) return;
    warn({
      seq: r.seq, ticks: r.ticks, kind: 'restartRepeatsCalls',
      message: `a trap handler of ${this.device} made ${before} service call(s) with an effect before it blocked on the critical section; the VM executes the trap again, and the handler makes them again (call Begin_Critical_Section first)`,
    });
  }
}
