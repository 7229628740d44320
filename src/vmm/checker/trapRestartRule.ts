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
  /** A trap handler runs (between a trap's clientOp and its trapReturn; traps do not nest). */
  private open = false;
  /** Calls with an effect the open trap has made so far. */
  private calls = 0;
  /** The device of the last call counted: at a block, the one that called Begin_Critical_Section. */
  private device = '';

  constructor(private readonly cpu: CpuTracker) {}

  reset(): void {
    this.open = false;
    this.calls = 0;
    this.device = '';
  }

  trap(): void {
    this.open = true;
    this.calls = 0;
  }

  trapReturn(): void {
    this.open = false;
  }

  service(r: RecordOf<'service'>): void {
    if (!this.open || this.cpu.atInterruptTime || r.service.startsWith('Get_')) return;
    this.calls++;
    this.device = r.device;
  }

  /** A `block` while a trap is open and no callback runs is the trap's (critical.ts mayBlock). */
  critical(r: RecordOf<'critical'>, callbackRunning: boolean, warn: Warn): void {
    if (r.op !== 'block' || !this.open || callbackRunning) return;
    // The blocking Begin_Critical_Section is one of the calls counted: the others came before it.
    const before = this.calls - 1;
    if (before <= 0) return;
    warn({
      seq: r.seq, ticks: r.ticks, kind: 'restartRepeatsCalls',
      message: `a trap handler of ${this.device} made ${before} service call(s) with an effect before it blocked on the critical section; the VM executes the trap again, and the handler makes them again (call Begin_Critical_Section first)`,
    });
  }
}
