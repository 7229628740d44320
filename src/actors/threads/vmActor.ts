/**
 * A VM actor: the ring-3 client activity of one VM. It generates its VM's ops with the same
 * seeded Workload as the simulated runtime (same child seed, same stream) and pushes them into
 * the VMM's queue, at most a credit window ahead of what the core has consumed; with the window
 * full (its VM is not the one running) it parks. It sees its Client_Reg_Struc in shared memory:
 * the bytes the VMM and the event callbacks write.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Rng } from '../../shared/rng.js';
import { ClientRegs } from '../../shared/clientRegs.js';
import { QueueProducer } from '../../shared/queue/mpscQueue.js';
import { Workload } from '../workload.js';
import { SLICE_MS, actorContext, exposeApi, yieldIfDue, type ActorContext } from './actorContext.js';
import { CreditWindow } from './credits.js';
import { FaultTrigger } from './faults.js';
import { heartbeatOf } from './heartbeats.js';
import { OP_MESSAGE_WORDS, writeOpMessage } from './opMessage.js';
import type { VmActorApi, VmSetup, VmStats } from './protocol.js';
import { readThreadTimes, threadTimesSince, type ThreadTimes } from './threadTimes.js';
import { placeThisThread } from './threadLayout.js';
import { setUpScenarioThread } from '../../shared/scenarioThread.js';

/**
 * How long a VM actor whose window is full parks before it looks at its control messages by
 * itself. Long: seven of eight VM actors are parked at any time, and each wake-up costs a context
 * switch on a shared core; a control message rings the doorbell (wakeParkedVmActors) instead.
 */
const VM_PARK_MS = 250;

interface Producing {
  vmId: number;
  workload: Workload;
  producer: QueueProducer;
  window: CreditWindow;
  setup: VmSetup;
}

class VmActor {
  private producing: Producing | null = null;
  private clientRegs: ClientRegs | null = null;
  private stopped = false;
  private pushed = 0;
  private fault: FaultTrigger | null = null;
  private threadAtStart: ThreadTimes | null = null;

  constructor(private readonly context: ActorContext) {}

  async configure(setup: VmSetup): Promise<void> {
    if (setup.layout !== null) placeThisThread(setup.layout.actorCpus);
    const { entries, mix, irqs } = setup.clientShape;
    this.producing = {
      vmId: setup.vmId,
      workload: new Workload(new Rng(setup.seed).child(`vm${setup.vmId}`), entries, mix, irqs),
      producer: new QueueProducer(setup.buffers.queue),
      window: new CreditWindow(setup.buffers.credits, setup.vmId, setup.windowOps),
      setup,
    };
  }

  attachClientRegs(buffer: SharedArrayBuffer): void {
    this.clientRegs = new ClientRegs(buffer);
  }

  start(): void {
    this.produce().catch((error: unknown) => this.context.fail(error));
  }

  stop(): void {
    this.stopped = true;
    this.fault?.checkStop();
  }

  stats(): VmStats {
    const regs = this.clientRegs;
    return {
      vmId: this.producing?.vmId ?? 0,
      opsPushed: this.pushed,
      opsConsumed: this.producing?.window.consumed ?? 0,
      creditParks: this.producing?.window.parks ?? 0,
      clientRegs: regs === null ? null : { EAX: regs.get('EAX'), EFlags: regs.get('EFlags') },
      thread: threadTimesSince(this.threadAtStart),
    };
  }

  private async produce(): Promise<void> {
    if (this.producing === null) throw new Error(`${this.context.actor} started before it was configured`);
    const { vmId, workload, producer, window, setup } = this.producing;
    const msg = new Int32Array(OP_MESSAGE_WORDS);
    const beat = heartbeatOf(setup.buffers.heartbeats, this.context.actor);
    const fault = new FaultTrigger(setup.faults, this.context.actor, performance.now(), beat);
    this.fault = fault;
    this.threadAtStart = readThreadTimes();
    let sliceStartMs = performance.now();
    while (!this.stopped) {
      if (window.hasRoom(this.pushed)) {
        writeOpMessage(msg, { producer: vmId, vmId, sequence: this.pushed }, workload.next());
        // Backpressure: a full queue parks this thread until the VMM has made room.
        while (!producer.push(msg, SLICE_MS)) {
          if (producer.isClosed() || this.stopped) return;
          beat(); // waiting for room is being alive
          sliceStartMs = await yieldIfDue(sliceStartMs);
        }
        this.pushed++;
        if ((this.pushed & 63) !== 0) continue;
      } else if (!window.park(this.pushed, VM_PARK_MS)) {
        // Still no credit: the park timed out, or the doorbell rang for a control message.
        await yieldToEventLoop();
        sliceStartMs = performance.now();
      }
      if (producer.isClosed()) return;
      fault.check(performance.now());
      sliceStartMs = await yieldIfDue(sliceStartMs);
    }
  }
}

export function startVmActor(): void {
  // This thread writes no command output: a print of the scenario's goes to stderr.
  setUpScenarioThread();
  const actor = new VmActor(actorContext());
  const api: VmActorApi = {
    configure: (setup) => actor.configure(setup),
    attachClientRegs: (buffer) => actor.attachClientRegs(buffer),
    start: () => actor.start(),
    stop: () => actor.stop(),
    stats: () => actor.stats(),
  };
  exposeApi(api);
}
