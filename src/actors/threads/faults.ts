/**
 * Fault injection: make one actor fail on purpose, to see the run end the way a real failure
 * would end it (the actor named, the trace so far written, exit code 3).
 *
 *   --fault <kind>:<actor>@<time>
 *     kind   crash  the actor throws an error (InjectedFault) from its main loop
 *            exit   the actor's thread exits (process.exit(0) on the worker), with no report
 *            hang   the actor's thread loops for ever (the heartbeat watchdog must end it)
 *     actor  vmm | pic | vm<N>   (N: a VM id of the run, 1 = the system VM)
 *     time   after the actor's loop starts (the actors start within moments of each other):
 *            2s, 500ms, 1.5s, 1m (a bare number is seconds); `start` (at once) or `stop` (when
 *            the run ends: the VMM at the end of its loop, the others when told to stop)
 *
 * e.g. crash:vm2@2s, exit:vm3@1s, crash:pic@1s, hang:vmm@1s, exit:vm2@stop.
 */
import { parseDurationMs } from '../../shared/duration.js';
import type { ActorName } from './protocol.js';

export type FaultKind = 'crash' | 'exit' | 'hang';

export interface FaultSpec {
  kind: FaultKind;
  actor: ActorName;
  /** After the actor's loop starts; Infinity: at `stop`. */
  atMs: number;
  /** As written, for reports. */
  text: string;
}

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/** The error an injected crash throws; recognized by its name in reports and tests. */
export class InjectedFault extends Error {
  override readonly name = 'InjectedFault';
}

const GRAMMAR = 'expected <crash|exit|hang>:<vmm|pic|vmN>@<time|start|stop>, e.g. crash:vm2@2s';

export function parseFaultSpec(text: string): FaultSpec {
  const match = /^(crash|exit|hang):(vmm|pic|vm([1-9]\d*))@(.+)$/.exec(text.trim());
  if (match === null) throw new FaultSpecError(`bad --fault '${text}': ${GRAMMAR}`);
  const atMs = match[4] === 'start' ? 0 : match[4] === 'stop' ? Infinity : parseDurationMs(match[4]!);
  if (atMs === undefined) throw new FaultSpecError(`bad --fault '${text}': '${match[4]}' is not a time (2s, 500ms, 1m)`);
  if (match[3] !== undefined && Number(match[3]) > 64) throw new FaultSpecError(`bad --fault '${text}': VM ids go up to 64`);
  return { kind: match[1] as FaultKind, actor: match[2] as ActorName, atMs, text: text.trim() };
}

/** The actors a run has: vmm, pic, vm1..vm<vmIdsMax>. */
export function checkFaultActors(faults: readonly FaultSpec[], vmIdsMax: number): void {
  for (const fault of faults) {
    const id = /^vm(\d+)$/.exec(fault.actor)?.[1];
    if (id !== undefined && Number(id) > vmIdsMax) {
      throw new FaultSpecError(`bad --fault '${fault.text}': this run's VMs are vm1 to vm${vmIdsMax}`);
    }
  }
}

/**
 * A fault timed at or after the run's end never fires: the run ended clean, exit 0, while its
 * report listed the fault as injected. `@stop` (at the stop itself) is the way to ask for that.
 */
export function checkFaultTimes(faults: readonly FaultSpec[], durationMs: number): void {
  for (const fault of faults) {
    if (Number.isFinite(fault.atMs) && fault.atMs >= durationMs) {
      throw new FaultSpecError(`bad --fault '${fault.text}': the run lasts ${durationMs} ms (--duration), so it would never fire (@stop fails at the stop)`);
    }
  }
}

/**
 * Checked by an actor's loop as it goes: once the time has come, fails the way the spec says.
 * The actor checks between units of work, so the failure lands in the middle of a real run.
 */
export class FaultTrigger {
  private readonly fault: FaultSpec | null;

  /** `heartbeat`: this actor's word (heartbeats.ts), beaten at every check: the actor is alive. */
  constructor(faults: readonly FaultSpec[], actor: ActorName, private readonly startMs: number, private readonly heartbeat: (() => void) | null = null) {
    this.fault = faults.find((f) => f.actor === actor) ?? null;
  }

  check(nowMs: number): void {
    this.heartbeat?.();
    const fault = this.fault;
    if (fault === null || nowMs - this.startMs < fault.atMs) return;
    fail(fault);
  }

  /** The run is ending: a fault `@stop` happens now. */
  checkStop(): void {
    if (this.fault?.atMs === Infinity) fail(this.fault);
  }
}

function fail(fault: FaultSpec): void {
  if (fault.kind === 'exit') process.exit(0);
  if (fault.kind === 'hang') for (;;); // busy for ever: only terminate() ends this thread
  throw new InjectedFault(`injected fault ${fault.text}: ${fault.actor} crashed on purpose`);
}
